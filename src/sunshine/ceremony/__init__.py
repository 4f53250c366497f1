"""The lottery ceremony (摇号仪式): freeze, announce, witness, draw, redraw, publish."""

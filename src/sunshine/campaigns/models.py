"""Special campaigns (专项行动) with phases and tasks, and the blacklist (黑名单)."""

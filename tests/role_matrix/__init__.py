"""The role × action matrix (issue #5, item 4): every action a page or the API offers, tried by
every kind of user, allowed or refused as the roles and their scopes say.

How it runs
-----------
``tests/test_role_matrix.py`` builds one fixture world per run of the module (two counties of
one city, a person for each role and scope variant: see ``world.py``), then for every action of
every ``tests/role_matrix/actions_*.py`` and every actor of ``world.ACTORS`` signs the actor in,
performs the action inside the test's own transaction (rolled back afterwards, so an action may
change things) and checks the outcome: an allowed actor must get a 2xx (or a redirect that is
not to a sign-in page), a refused one a 401, 403, 404 or a redirect to sign in, or the service's
``NotAllowed``/``NotFound``. Anything else (a 500, 405, 409, 422) fails for everyone.

A second test checks coverage: every URL name and every API operation must be exercised by some
action (``covers``), except for the apps still listed in ``AWAITING`` below and the few
``UNCOVERED`` names that are no actions (with the reason).

Adding your app's actions (a few lines per action)
--------------------------------------------------
1. Create ``tests/role_matrix/actions_<app>.py`` with a list ``ACTIONS``::

       from tests.role_matrix.framework import COUNTY_A_READERS, EVERYONE, Action, page

       ACTIONS = [
           # A page or GET endpoint: name, path (or a function of the world), who may, covers.
           page("review: the queue", "/staff/review/", {"school_staff", "bureau_reviewer"},
                "review:queue"),
           page("api: a case", lambda w: f"/api/review/cases/{w.a.applications['a1'].code}",
                COUNTY_A_READERS | {"school_staff"}, "api:review_case"),
           # Anything else: a function of the Attempt (a.client is signed in as a.user).
           Action("review: approve A1", lambda a: a.post(f"/staff/review/{...}/approve/"),
                  frozenset({"bureau_reviewer"}), ("review:approve",)),
       ]

   ``perform`` may return a response, an ``Outcome`` (use ``Attempt.sees(path, text)`` for
   "the list shows this row", which is how scope over a list is tested), or call a service
   directly (``NotAllowed``/``NotFound`` count as refused).
2. Target county A's objects (``world.a``: season, schools ``east``/``west``/``private``/
   ``junior``, applications ``a1``–``a4``, ``j1``), so the "other county/school/family" actors
   must be refused. If your action needs objects of its own (a complaint, a review case), build
   them in the action (it runs in a rolled-back transaction) or add them to ``World.extra`` in
   ``world.build_world``.
3. Name who may with the groups of ``framework`` (``EVERYONE``, ``SIGNED_IN``, ``STAFF``,
   ``COUNTY_A_READERS``, ``AUDITORS``, ``NOBODY``) or explicit actor names.
4. Remove your app from ``AWAITING`` in ``tests/test_role_matrix.py``; the coverage test then
   lists every URL name and API operation of yours that no action ``covers`` yet.
"""

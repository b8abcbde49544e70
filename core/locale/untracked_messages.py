"""Message ids that the code translates from a variable, where extraction cannot see them.

``core/web/errors.py`` looks an error page's title up by status and translates it with
``i18n.gettext(title)``; listing the titles here puts them in ``messages.pot`` and keeps them
checked by ``tests/core/test_i18n.py``. Keep these lists in step with ``make_error_page`` and ``core/api/problems.py``.
Nothing imports this module.
"""


def _(message: str) -> str:
    return message


ERROR_TITLES = (
    _("Bad request"),
    _("Forbidden"),
    _("Page not found"),
    _("Method not allowed"),
    _("Request too large"),
    _("Too many requests"),
    _("Something went wrong"),
    _("Busy right now: please try again in a moment"),
    _("Error"),
)

# The JSON API's problem titles (core/api/problems.py, ApiProblem), translated by gettext(problem.title).
API_PROBLEM_TITLES = (
    _("Not found"),
    _("Invalid request"),
    _("Unauthorized"),
    _("Invalid JSON"),
    _("Conflict"),
    _("Refused by the rules"),
)

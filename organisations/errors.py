"""The one domain error every service raises; views show its message to the user."""


class WorkflowError(Exception):
    """An action that is not allowed now, for this user, or with this data.

    ``message`` is translatable and written for the person who tried; ``problems`` lists every
    reason when there are several (e.g. what stops an application from being submitted).
    """

    def __init__(self, message, *, problems=None, code: str = "not_allowed"):
        super().__init__(str(message))
        self.message = message
        self.problems = list(problems or [])
        self.code = code

    def __str__(self):
        return str(self.message)

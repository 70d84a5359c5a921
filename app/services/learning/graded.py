"""Where a learner stands with a graded exercise, a quiz or an assignment, read from one `state`."""


class Graded:
    """Mixed into a status whose `state` is "passed", "failed" or a word of its own ("not_taken", ...)."""

    @property
    def state(self) -> str:
        raise NotImplementedError

    @property
    def passed(self) -> bool:
        return self.state == "passed"

    @property
    def failed(self) -> bool:
        return self.state == "failed"

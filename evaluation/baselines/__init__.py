"""Built-in baselines the model is compared against: hand-written rules and underthesea's NER."""


class SystemUnavailable(RuntimeError):
    """The system cannot run here (an optional dependency is missing); reported, not an error."""

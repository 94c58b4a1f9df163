class ValidationMessage:
    WARNING: str
    ERROR: str
    def __init__(self, message_type: str, message_text: str) -> None: ...

class Validation:
    def add(self, message: ValidationMessage) -> None: ...

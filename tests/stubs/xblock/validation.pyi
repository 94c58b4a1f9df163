class ValidationMessage:
    WARNING: str
    ERROR: str
    type: str
    text: str
    def __init__(self, message_type: str, message_text: str) -> None: ...

class Validation:
    messages: list[ValidationMessage]
    def __init__(self, xblock_id: object) -> None: ...
    def add(self, message: ValidationMessage) -> None: ...

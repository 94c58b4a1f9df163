from typing import Any

class XBlockUser:
    is_current_user: bool
    full_name: str | None
    emails: list[str]
    opt_attrs: dict[str, Any]
    def __init__(
        self, is_current_user: bool = False, emails: list[str] | None = None, full_name: str | None = None
    ) -> None: ...

class UserService:
    def __init__(self, **kwargs: Any) -> None: ...
    def get_current_user(self) -> XBlockUser | None: ...

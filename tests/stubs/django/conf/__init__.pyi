class LazySettings:
    @property
    def configured(self) -> bool: ...

settings: LazySettings

"""Where the test fixtures live (importable by any test module)."""

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
CONTENT = FIXTURES / "content"
REPO = Path(__file__).resolve().parent.parent

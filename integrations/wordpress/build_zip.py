"""Build the Moderato WordPress plugin zip (what Plugins -> Add New -> Upload Plugin takes).

    python3 integrations/wordpress/build_zip.py [OUTPUT]      # default: dist/moderato-wordpress.zip
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
PLUGIN = HERE / "moderato"


def build(output: Path) -> Path:
    """Write the plugin folder as `moderato/...` entries into `output`; returns its path."""
    output.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(PLUGIN.rglob("*")):
            if path.is_file():
                archive.write(path, Path("moderato") / path.relative_to(PLUGIN))
    return output


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parents[1] / "dist" / "moderato-wordpress.zip"
    print(build(target))

"""`python -m lingxi_tag` runs the service like `lingxi serve tag`."""

from lingxi_tag.main import main

raise SystemExit(main())

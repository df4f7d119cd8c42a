"""`python -m lingxi_channel` runs the service like `lingxi serve channel`."""

from lingxi_channel.main import main

raise SystemExit(main())

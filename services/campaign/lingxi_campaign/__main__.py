"""`python -m lingxi_campaign` runs the service like `lingxi serve campaign`."""

from lingxi_campaign.main import main

raise SystemExit(main())

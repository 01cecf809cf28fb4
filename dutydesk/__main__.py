from dutydesk.cli import main

raise SystemExit(main())

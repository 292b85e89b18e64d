from amctl.cli.app import main

main()

from govsites.manage import main

main()

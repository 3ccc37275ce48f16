from search.launcher import main

if __name__ == "__main__":  # not when a worker process started by `python -m search` imports it
    main()

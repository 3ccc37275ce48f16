from search.cli import app

if __name__ == "__main__":  # not when a worker process started by `python -m search` imports it
    app(prog_name="accord")

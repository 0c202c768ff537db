"""`python -m listwatch`."""

from listwatch.cli import main

if __name__ == "__main__":
    main()

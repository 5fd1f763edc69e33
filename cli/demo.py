"""CLI `demo`: create the fictional demo practice and print fresh demo tokens."""
from __future__ import annotations

import click

from backend.demo import demo_banner, prepare_demo
from cli.common import load_settings


@click.command()
@click.option("--token-only", is_flag=True, help="Print only a fresh clinician token (for $(...)).")
def demo(token_only: bool) -> None:
    """Create the fictional demo practice in <home>/demo.db and print fresh demo tokens."""
    info = prepare_demo(load_settings())
    if token_only:
        click.echo(info.tokens["demo-clinician"])
        return
    click.echo(demo_banner(info))

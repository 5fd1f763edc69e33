#!/usr/bin/env python3
"""One CLI over the whole toolkit: each subcommand lives in a `cli/` module, loaded lazily."""
from __future__ import annotations

import importlib
import os
import sys

import click

# name -> "module:attribute". Modules are imported only when their command runs (or on `--help` of it),
# so `main.py --help` stays fast and never imports torch or transformers.
COMMANDS: dict[str, tuple[str, str]] = {
    "models": ("cli.models:models", "List model names, where each resolves, size and engine."),
    "run": ("cli.models:run", "Chat with a model: one-shot with a PROMPT, interactive without."),
    "serve": ("cli.serve:serve", "Serve the HTTP API (waitress) on 127.0.0.1:8002."),
    "triage": ("cli.triage:triage", "Triage one message, or a JSONL file of messages."),
    "patients": ("cli.patients:patients", "Add and list patients."),
    "sessions": ("cli.sessions:sessions", "Add and list a patient's session notes."),
    "summarize": ("cli.summarize:summarize", "Summarize a patient's sessions."),
    "users": ("cli.users:users", "Manage API users and tokens."),
    "audit": ("cli.audit:audit", "Show and verify the audit trail."),
    "db": ("cli.database:db", "Encrypt the practice database (SQLCipher), rotate its key, show its state."),
    "review": ("cli.review:review", "List and resolve the human review queue."),
    "feedback": ("cli.feedback:feedback", "Export clinicians' review judgements as de-identified triage data."),
    "demo": ("cli.demo:demo", "Create the fictional demo practice and print its token."),
    "data": ("cli.data:data", "Import, fetch and prepare training data."),
    "train": ("cli.train:train", "Fine-tune a model with LoRA (CPU) or QLoRA (CUDA)."),
    "convert": ("cli.convert:convert", "Merge, convert to GGUF, quantize and verify a training run."),
    "register": ("cli.register:register", "Render Modelfiles and register models locally and in Ollama."),
    "build": ("cli.build:build", "Prepare data, train, convert, verify and register both models."),
    "eval": ("cli.eval:eval_command", "Evaluate a model, optionally A/B against a baseline."),
    "safety": ("cli.safety:safety", "Retrain the crisis floor's semantic layer (leave-one-source-out report)."),
}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        target, _ = COMMANDS[name]
        module_name, attr = target.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            raise click.ClickException(f"command '{name}' is unavailable: missing module {exc.name}") from None
        return getattr(module, attr)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Short help from the table above, so listing commands imports nothing.
        with formatter.section("Commands"):
            formatter.write_dl([(name, help_text) for name, (_, help_text) in COMMANDS.items()])


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show full tracebacks.")
@click.option("--home", type=click.Path(file_okay=False), help="Data folder (default ./var or $THERAPY_HOME).")
@click.version_option("0.1.0", prog_name="therapy-toolkit")
@click.pass_context
def cli(ctx: click.Context, debug: bool, home: str | None) -> None:
    """On-premises clinical AI toolkit: local models, triage, session summaries, retraining.

    Nothing leaves this machine. Exit codes: 0 ok, 1 failure, 2 bad input or usage.
    """
    if home:
        os.environ["THERAPY_HOME"] = home
    ctx.obj = {"debug": debug}


def main(argv: list[str] | None = None) -> int:
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        rc = cli.main(args=argv, prog_name="main.py", standalone_mode=False)
        return rc if isinstance(rc, int) else 0  # ctx.exit(n) in a command returns n here
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.exceptions.Abort:
        click.secho("Aborted.", fg="red", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except KeyboardInterrupt:
        click.secho("Interrupted.", fg="red", err=True)
        return 130
    except Exception as exc:  # the one error boundary of the CLI
        return _report(exc, debug)


def _report(exc: Exception, debug: bool) -> int:
    from core.errors import ToolkitError

    if debug:
        import traceback

        traceback.print_exc()
    if isinstance(exc, ToolkitError):
        click.secho(f"Error: {exc.message}", fg="red", err=True)
        if exc.hint:
            click.secho(f"Hint: {exc.hint}", fg="yellow", err=True)
        return exc.exit_code
    click.secho(f"Unexpected error: {type(exc).__name__}: {exc} (run with --debug for details)", fg="red", err=True)
    return 1


if __name__ == "__main__":
    sys.exit(main())

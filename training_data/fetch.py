"""`data fetch`: download a Kaggle dataset with the optional `kaggle` package, then import it."""
from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path

from core.errors import BadRequest, ConfigError
from training_data import importer

KNOWN = {
    "counselchat": "counselchat/counselchat-data",
    "mental-health-faq": "narendrageek/mental-health-faq-for-chatbot",
}
OFFLINE_HINT = ("Offline import: download the dataset's zip on any machine (kaggle.com/datasets/{slug}), "
                "copy it here, then run `main.py data import PATH/TO/archive.zip`.")


@dataclass(frozen=True)
class FetchConfig:
    dataset: str                      # a short name from KNOWN or a Kaggle "owner/slug"
    home: Path


def slug(dataset: str) -> str:
    if dataset in KNOWN:
        return KNOWN[dataset]
    if dataset.count("/") == 1:
        return dataset
    raise BadRequest(f"unknown dataset '{dataset}'", hint=f"use one of {', '.join(KNOWN)} or a Kaggle owner/slug")


def has_credentials(env: dict[str, str] | None = None) -> bool:
    env = dict(os.environ if env is None else env)
    config_dir = Path(env.get("KAGGLE_CONFIG_DIR", Path.home() / ".kaggle"))
    return bool(env.get("KAGGLE_USERNAME") and env.get("KAGGLE_KEY")) or (config_dir / "kaggle.json").is_file()


def unavailable_reason(env: dict[str, str] | None = None) -> str | None:
    """Why the Kaggle API cannot be used here, or None."""
    if importlib.util.find_spec("kaggle") is None:
        return "the optional `kaggle` package is not installed"
    if not has_credentials(env):
        return "no Kaggle credentials (~/.kaggle/kaggle.json or KAGGLE_USERNAME and KAGGLE_KEY)"
    return None


def run(config: FetchConfig) -> importer.ImportResult:
    dataset_slug = slug(config.dataset)
    reason = unavailable_reason()
    if reason:
        raise ConfigError(f"cannot fetch '{dataset_slug}': {reason}", hint=OFFLINE_HINT.format(slug=dataset_slug))
    download_dir = config.home / "data" / "downloads" / dataset_slug.replace("/", "__")
    download_dir.mkdir(parents=True, exist_ok=True)
    try:
        from kaggle.api.kaggle_api_extended import KaggleApi

        api = KaggleApi()
        api.authenticate()
        api.dataset_download_files(dataset_slug, path=str(download_dir), unzip=False, quiet=True)
    except Exception as exc:  # network, auth, missing dataset: the kaggle client raises many types
        raise ConfigError(f"Kaggle download of '{dataset_slug}' failed: {type(exc).__name__}: {exc}",
                          hint=OFFLINE_HINT.format(slug=dataset_slug)) from None
    return importer.run(importer.ImportConfig(download_dir, config.home, name=dataset_slug.split("/")[1]))

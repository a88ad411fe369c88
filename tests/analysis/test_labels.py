from __future__ import annotations

import numpy as np

from stocktake.analysis.labels import core_sentence, label_of, speaker

PROPOSAL = "Enforce labour rights for migrant workers, including domestic workers, and allow them to change employer."


def test_a_label_is_a_contiguous_phrase_from_the_text() -> None:
    for text in (
        PROPOSAL,
        f"We recommend: {PROPOSAL} This would make migration safer for everyone.",
        "Keep follow-up light: map progress, share best practices and build capacity.",
        "将移民汇款的交易成本降至百分之三以下，并取消成本高于百分之五的汇款通道。",
    ):
        label = label_of(text).rstrip("…")
        assert label in " ".join(text.split()), (label, text)
        assert len(label.split()) <= 12
    assert label_of("", "Decent work for migrants") == "Decent work for migrants"
    assert label_of(f"We recommend: {PROPOSAL}").startswith("Enforce labour rights")


def test_a_campaign_is_named_by_what_its_copies_share_not_by_their_framing() -> None:
    copies = [
        f"States should commit to the following. {PROPOSAL}",
        f"{PROPOSAL} The costs are modest compared with the benefits.",
        f"Our network asks for this. {PROPOSAL.replace('domestic', 'all')}",
    ]
    assert core_sentence(copies[0], copies) == PROPOSAL
    assert core_sentence(copies[1], copies) == PROPOSAL
    assert label_of(copies[0], copies=copies).startswith("Enforce labour rights")


def test_the_speaker_is_in_the_summary_language_when_one_is() -> None:
    features = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0]])
    assert speaker(features, [0, 1, 2], ["fr", "en", "en"], "en") == 1
    assert speaker(features, [0, 1, 2], ["fr", "fr", "es"], "en") in (0, 1)


def test_a_shortened_label_does_not_end_on_a_dangling_word() -> None:
    pathways = (
        "Expand regular pathways for labour migration, family reunification and study, matched "
        "to labour market needs."
    )
    assert label_of(pathways) == (
        "Expand regular pathways for labour migration, family reunification and study…"
    )
    cities = (
        "Give cities and local authorities a seat in migration governance and the means to "
        "deliver services to all residents."
    )
    assert label_of(cities) == "Give cities and local authorities a seat in migration governance…"

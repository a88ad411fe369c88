"""Demo consultation inputs: recommendation cards and contributions across the six dimensions and
the input types, in several languages, with a near-duplicate campaign and re-submissions.
Written for the demo; attributed to the registry's states and fictional organisations."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from stocktake.consultation.services import InputData
from stocktake.registry.models import Actor

# (dimension, input type, SDG references, text)
PROPOSALS: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    (
        "human",
        "actionable_commitment",
        ("10.7", "ICRMW"),
        "Ensure that all migrants, regardless of status, have access to basic services, including health care and education, without fear of detection or deportation.",
    ),
    (
        "human",
        "actionable_commitment",
        ("16.9",),
        "Guarantee that every migrant child is registered at birth and holds a legal identity document.",
    ),
    (
        "human",
        "actionable_commitment",
        ("5.2", "CEDAW"),
        "Protect migrant women and girls from gender-based violence at every stage of their journey, with safe shelters and access to justice.",
    ),
    (
        "human",
        "means_of_implementation",
        ("10.7",),
        "Train border officials and first responders on the human rights of migrants in vulnerable situations and fund independent monitoring.",
    ),
    (
        "human",
        "partnership",
        ("17.17",),
        "Work with civil society to provide legal aid and interpretation to migrants in detention, and end the detention of children.",
    ),
    (
        "community",
        "actionable_commitment",
        ("10.2", "ICERD"),
        "Counter xenophobia and discrimination against migrants through public awareness campaigns and laws that punish hate crimes.",
    ),
    (
        "community",
        "actionable_commitment",
        ("4.4",),
        "Recognise the skills, qualifications and diplomas of migrants so that they can work in their profession.",
    ),
    (
        "community",
        "partnership",
        ("17.17",),
        "Support diaspora organisations as partners in development through matching funds for community projects in countries of origin.",
    ),
    (
        "community",
        "means_of_implementation",
        ("4.1",),
        "Invest in language courses and civic orientation for newly arrived migrants and their families.",
    ),
    (
        "local",
        "actionable_commitment",
        ("11.1", "11.3"),
        "Give cities and local authorities a seat in migration governance and the means to deliver services to all residents.",
    ),
    (
        "local",
        "partnership",
        ("11.3", "17.17"),
        "Create networks of welcoming cities that share practices on the inclusion of migrants in housing, schools and local labour markets.",
    ),
    (
        "local",
        "means_of_implementation",
        ("11.1",),
        "Channel funding directly to municipalities that host large numbers of migrants and displaced people.",
    ),
    (
        "national",
        "actionable_commitment",
        ("10.7", "8.8"),
        "Expand regular pathways for labour migration, family reunification and study, matched to labour market needs.",
    ),
    (
        "national",
        "actionable_commitment",
        ("8.8", "ILO-C189"),
        "Enforce labour rights for migrant workers, including domestic workers, and allow them to change employer.",
    ),
    (
        "national",
        "actionable_commitment",
        ("10.7.1", "8.7"),
        "Eliminate recruitment fees charged to migrant workers and regulate recruitment agencies.",
    ),
    (
        "national",
        "means_of_implementation",
        ("17.18", "10.7.2"),
        "Improve the collection of migration data, disaggregated by sex, age and migration status, through national statistical offices.",
    ),
    (
        "national",
        "actionable_commitment",
        ("16.2", "UNTOC"),
        "Prosecute smugglers and traffickers while protecting and assisting the victims of trafficking.",
    ),
    (
        "regional",
        "partnership",
        ("10.7",),
        "Strengthen regional consultative processes and free movement agreements so that neighbouring states manage mixed flows together.",
    ),
    (
        "regional",
        "actionable_commitment",
        ("10.7", "8.8"),
        "Make social security benefits portable between countries of the same region through bilateral and regional agreements.",
    ),
    (
        "regional",
        "means_of_implementation",
        ("17.9",),
        "Set up regional centres for search and rescue coordination and for the identification of missing migrants.",
    ),
    (
        "global",
        "actionable_commitment",
        ("10.c", "10.c.1"),
        "Reduce the transaction costs of migrant remittances to less than 3 per cent and eliminate corridors costing more than 5 per cent.",
    ),
    (
        "global",
        "partnership",
        ("17.16",),
        "Build a global partnership of states, the United Nations system, the private sector and civil society to implement the compact.",
    ),
    (
        "global",
        "means_of_implementation",
        ("17.9", "17.3"),
        "Establish a capacity-building mechanism that matches requests for support with offers of expertise and funding.",
    ),
    (
        "global",
        "follow_up_review",
        ("10.7", "17.18"),
        "Follow up the compact with voluntary but clear goals, targets and indicators at global and national level, reviewed every four years.",
    ),
    (
        "global",
        "follow_up_review",
        ("17.18",),
        "Keep follow-up light: map progress, share best practices and build capacity rather than setting new targets and indicators.",
    ),
    (
        "national",
        "follow_up_review",
        ("17.18",),
        "Each state should report voluntarily on its implementation, with national indicators and the participation of civil society.",
    ),
    (
        "regional",
        "follow_up_review",
        ("10.7",),
        "Hold regional reviews between the global review forums so that progress is discussed close to where migration happens.",
    ),
)

TRANSLATIONS: dict[str, tuple[tuple[int, str], ...]] = {
    "fr": (
        (
            0,
            "Garantir à tous les migrants, quel que soit leur statut, l'accès aux services de base, notamment aux soins de santé et à l'éducation, sans crainte d'être dénoncés.",
        ),
        (
            5,
            "Lutter contre la xénophobie et la discrimination à l'égard des migrants par des campagnes de sensibilisation et des lois qui punissent les crimes de haine.",
        ),
        (
            12,
            "Élargir les voies de migration régulière pour le travail, le regroupement familial et les études, en fonction des besoins du marché du travail.",
        ),
        (
            20,
            "Réduire les coûts de transfert des envois de fonds des migrants à moins de 3 pour cent.",
        ),
        (
            24,
            "Un suivi léger : cartographier les progrès, partager les bonnes pratiques et renforcer les capacités plutôt que fixer de nouveaux objectifs.",
        ),
    ),
    "es": (
        (
            9,
            "Dar a las ciudades y autoridades locales un lugar en la gobernanza de la migración y los medios para prestar servicios a todos los residentes.",
        ),
        (
            13,
            "Hacer cumplir los derechos laborales de los trabajadores migrantes, incluidos los trabajadores domésticos, y permitirles cambiar de empleador.",
        ),
        (
            14,
            "Eliminar las comisiones de contratación que se cobran a los trabajadores migrantes y regular las agencias de contratación.",
        ),
        (
            23,
            "Dar seguimiento al pacto con metas e indicadores voluntarios pero claros a nivel mundial y nacional, examinados cada cuatro años.",
        ),
        (
            7,
            "Apoyar a las organizaciones de la diáspora como socias del desarrollo mediante fondos de contrapartida para proyectos comunitarios.",
        ),
    ),
    "ar": (
        (
            0,
            "ضمان حصول جميع المهاجرين، بغض النظر عن وضعهم، على الخدمات الأساسية بما في ذلك الرعاية الصحية والتعليم.",
        ),
        (16, "ملاحقة المهربين والمتجرين بالبشر قضائياً مع حماية ضحايا الاتجار ومساعدتهم."),
        (20, "خفض تكاليف تحويلات المهاجرين المالية إلى أقل من ثلاثة في المائة."),
    ),
    "ru": (
        (
            12,
            "Расширить законные каналы трудовой миграции, воссоединения семей и обучения с учетом потребностей рынка труда.",
        ),
        (
            18,
            "Обеспечить перенос социальных пособий между странами региона на основе двусторонних и региональных соглашений.",
        ),
        (
            15,
            "Улучшить сбор данных о миграции с разбивкой по полу, возрасту и миграционному статусу.",
        ),
    ),
    "zh": (
        (20, "将移民汇款的交易成本降至百分之三以下，并取消成本高于百分之五的汇款通道。"),
        (17, "加强区域协商进程和自由流动协定，使邻国共同管理混合移民流动。"),
        (22, "建立能力建设机制，将支持请求与专业知识和资金提供相匹配。"),
    ),
}

CAMPAIGN = (
    "We, migrants and our families, ask States to end immigration detention of children and to provide "
    "alternatives to detention that respect human dignity."
)
_CAMPAIGN_ENDINGS = (
    "",
    " No child should be detained.",
    " Children first.",
    " #EndChildDetention",
    " Thank you.",
)
_OPENINGS = (
    "",
    "We recommend: ",
    "States should commit to the following. ",
    "Proposal: ",
    "Our delegation proposes: ",
)
_REASONS = (
    "",
    " This would make migration safer for everyone.",
    " Several countries already do so with good results.",
    " The costs are modest compared with the benefits.",
    " This is essential for the 2030 Agenda for Sustainable Development.",
)


def demo_inputs(
    states: Sequence[Actor],
    stakeholders: Sequence[Actor],
    meetings: dict[str, dt.date],
    rng: random.Random,
    count: int = 2000,
) -> list[tuple[str, InputData]]:
    """About `count` inputs: proposals, translations, a campaign and re-submissions, each dated
    on the day of the meeting where it was made."""
    rows: list[tuple[str, InputData]] = []

    def add(data: InputData) -> None:
        data.external_id = f"DEMO-{len(rows) + 1:05d}"
        day = meetings[data.meeting]
        moment = dt.datetime(
            day.year, day.month, day.day, 9 + rng.randrange(9), rng.randrange(60), tzinfo=dt.UTC
        )
        data.submitted_at = moment.isoformat()
        rows.append((data.external_id, data))

    def status() -> str:
        roll = rng.random()
        return "published" if roll < 0.86 else ("submitted" if roll < 0.97 else "draft")

    slugs = sorted(meetings)
    campaigners = rng.sample(list(stakeholders), min(140, len(stakeholders)))
    for actor in campaigners:
        add(
            InputData(
                text=CAMPAIGN + rng.choice(_CAMPAIGN_ENDINGS),
                submitter=actor.code,
                title="End child detention",
                dimensions=["human"],
                input_types=["actionable_commitment"],
                references=["CRC"],
                meeting=rng.choice(slugs),
                status=status(),
            )
        )
    while len(rows) < count - 40:
        actor = rng.choice(states) if rng.random() < 0.55 else rng.choice(stakeholders)
        if rng.random() < 0.16:
            language = rng.choice(list(TRANSLATIONS))
            index, text = rng.choice(TRANSLATIONS[language])
        else:
            index = rng.randrange(len(PROPOSALS))
            text = rng.choice(_OPENINGS) + PROPOSALS[index][3] + rng.choice(_REASONS)
        dimension, input_type, references, _ = PROPOSALS[index]
        extra = rng.choice(
            [
                d
                for d in ("human", "community", "local", "national", "regional", "global")
                if d != dimension
            ]
        )
        add(
            InputData(
                text=text,
                submitter=actor.code,
                kind="contribution" if rng.random() < 0.1 else "card",
                dimensions=[dimension] + ([extra] if rng.random() < 0.2 else []),
                input_types=[input_type] if rng.random() < 0.85 else [],
                references=list(references) if rng.random() < 0.7 else [],
                meeting=rng.choice(slugs),
                status=status(),
            )
        )
    originals = [data for _, data in rows[len(campaigners) :]]
    for data in rng.sample(originals, 40):  # the same text sent again by the same actor
        add(
            InputData(
                text=data.text,
                submitter=data.submitter,
                dimensions=list(data.dimensions),
                input_types=list(data.input_types),
                meeting=data.meeting,
                status="submitted",
            )
        )
    return rows

"""The default criteria set of DOMAIN.md (100 base points, +10 bonus cap), as data.

Proposed defaults ([P] in DOMAIN.md): administrators edit them per period; nothing here is
used by the rules except as the starting set of the demo and of a new campaign."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from sqlalchemy.orm import Session

from emulation.campaigns.domain import SPEC_FIELDS
from emulation.campaigns.models import Criterion, CriterionKind, Period

K = CriterionKind


@dataclass(frozen=True)
class Node:
    """A default criterion: the spec's fields (`CriterionInput`) it sets, and its children."""

    code: str
    kind: CriterionKind
    title_vi: str
    title_en: str
    max_points: int  # hundredths
    points_per_item: int | None = None
    target: int | None = None  # hundredths of the measure unit
    target_share_percent: int | None = None
    measure_unit: str = ""
    evidence_required: bool = False
    guidance_vi: str = ""
    guidance_en: str = ""
    children: tuple[Node, ...] = field(default_factory=tuple)


NODE_FIELDS = frozenset(f.name for f in fields(Node)) - {"children"}
assert set(SPEC_FIELDS) >= NODE_FIELDS, "a default sets a field the criterion spec lacks"


def _q(code, vi, en, pts, target, share=80, unit="%", **kw) -> Node:
    return Node(
        code,
        K.QUANTITATIVE,
        vi,
        en,
        pts * 100,
        target=target * 100,
        target_share_percent=share,
        measure_unit=unit,
        evidence_required=True,
        **kw,
    )


def _d(code, vi, en, pts, **kw) -> Node:
    return Node(code, K.DIRECT, vi, en, pts * 100, **kw)


def _pf(code, vi, en, pts, **kw) -> Node:
    return Node(code, K.PASS_FAIL, vi, en, pts * 100, **kw)


def _count(kind, code, vi, en, per_item, cap) -> Node:
    return Node(code, kind, vi, en, cap, points_per_item=per_item, evidence_required=True)


DEFAULT_SET: tuple[Node, ...] = (
    Node(
        "1",
        K.GROUP,
        "Tận tụy",
        "Dedicated",
        2000,
        children=(
            _q(
                "1.1", "Hoàn thành các chỉ tiêu công tác năm", "Annual work targets met", 6, 100, 80
            ),
            _q(
                "1.2",
                "Tiếp nhận, giải quyết 100% tin báo, tố giác tội phạm đúng hạn",
                "100% of crime reports and tip-offs handled on time",
                5,
                100,
                100,
            ),
            _d(
                "1.3",
                "Trực ban, trực chiến 24/7 và thời gian phản ứng",
                "24/7 duty and response time",
                3,
            ),
            _pf("1.4", "Không có cán bộ, chiến sĩ bị kỷ luật", "No officer disciplined", 4),
            _pf("1.5", "Hoàn thành huấn luyện, diễn tập", "Training and drills passed", 2),
        ),
    ),
    Node(
        "2",
        K.GROUP,
        "Gắn bó",
        "Attached to the people",
        2000,
        children=(
            _d(
                "2.1",
                "Nắm chắc địa bàn, dân cư, đối tượng quản lý",
                "Knows the area, residents and persons under management",
                5,
            ),
            _pf(
                "2.2",
                "Có ít nhất 1 mô hình phong trào toàn dân bảo vệ ANTQ hiệu quả",
                "At least one effective model of the mass movement for national security",
                5,
                evidence_required=True,
            ),
            _q(
                "2.3",
                "Tỷ lệ khu dân cư, cơ quan, trường học đạt chuẩn “an toàn về ANTT”",
                "Residential areas, agencies and schools rated “safe”",
                4,
                70,
                80,
            ),
            _d(
                "2.4",
                "Hỗ trợ lực lượng tham gia bảo vệ ANTT ở cơ sở",
                "Support for grassroots security teams",
                3,
            ),
            _d(
                "2.5",
                "Giải quyết mâu thuẫn tại cơ sở, không để hình thành điểm nóng",
                "Disputes settled locally, no hotspots",
                3,
            ),
        ),
    ),
    Node(
        "3",
        K.GROUP,
        "Thân thiện",
        "Friendly",
        2000,
        children=(
            _q(
                "3.1",
                "Giải quyết thủ tục hành chính đúng hạn",
                "Administrative procedures on time",
                5,
                100,
                100,
            ),
            _q(
                "3.2",
                "Tỷ lệ hồ sơ dịch vụ công trực tuyến",
                "Share of online public-service filings",
                4,
                80,
                80,
            ),
            _q(
                "3.3",
                "Cấp căn cước gắn chip cho công dân đủ điều kiện",
                "Chip citizen-ID coverage of eligible residents",
                4,
                100,
                80,
            ),
            _q(
                "3.4",
                "Kích hoạt định danh điện tử VNeID mức 2",
                "VNeID level-2 activation",
                4,
                80,
                80,
            ),
            _d(
                "3.5",
                "Dữ liệu dân cư “đúng, đủ, sạch, sống”",
                "Population data correct, complete, clean, current",
                3,
            ),
        ),
    ),
    Node(
        "4",
        K.GROUP,
        "An toàn",
        "Safe",
        2500,
        children=(
            _pf("4.1", "Không để xảy ra vụ việc phức tạp về an ninh", "No security incidents", 5),
            _q(
                "4.2",
                "Kiềm chế, kéo giảm tội phạm về trật tự xã hội ≥ 5%",
                "Social-order crime down at least 5%",
                5,
                5,
                80,
            ),
            _q(
                "4.3",
                "Tỷ lệ điều tra khám phá ≥ 75%, án nghiêm trọng ≥ 95%",
                "Clearance rate at least 75%, serious cases at least 95%",
                5,
                75,
                80,
            ),
            _d(
                "4.4",
                "Bắt, vận động đầu thú đối tượng truy nã",
                "Wanted persons arrested or surrendered",
                3,
            ),
            _q(
                "4.5",
                "Kéo giảm tai nạn giao thông ≥ 5% (số vụ, người chết, người bị thương), cháy nổ",
                "Traffic accidents down at least 5% (cases, deaths, injuries), fires down",
                4,
                5,
                80,
            ),
            _d(
                "4.6",
                "Quản lý ma túy, vũ khí, ngành nghề kinh doanh có điều kiện",
                "Drugs, weapons and conditional businesses under control",
                3,
            ),
        ),
    ),
    Node(
        "5",
        K.GROUP,
        "An dân",
        "People-securing",
        1500,
        children=(
            _q(
                "5.1",
                "Mức độ hài lòng của người dân (đủ điểm khi ≥ 90%)",
                "People's satisfaction survey (full marks at 90% or more)",
                6,
                90,
                100,
            ),
            _pf(
                "5.2",
                "Không có khiếu nại, tố cáo có cơ sở về tác phong, thái độ",
                "No substantiated complaints about conduct",
                3,
            ),
            _d(
                "5.3",
                "Tuyên truyền pháp luật, phòng chống lừa đảo",
                "Legal and anti-fraud outreach",
                3,
            ),
            _d(
                "5.4",
                "Hỗ trợ phòng chống thiên tai, an sinh xã hội",
                "Disaster and social-welfare support",
                3,
            ),
        ),
    ),
    Node(
        "B",
        K.GROUP,
        "Điểm thưởng",
        "Bonus points",
        1000,
        children=(
            _count(
                K.BONUS,
                "B1",
                "Bằng khen của Bộ trưởng",
                "Minister's certificate of merit",
                300,
                300,
            ),
            _count(
                K.BONUS,
                "B2",
                "Bằng khen của UBND tỉnh",
                "Provincial People's Committee merit",
                200,
                200,
            ),
            _count(
                K.BONUS,
                "B3",
                "Giấy khen của Giám đốc Công an tỉnh (mỗi giấy khen)",
                "Provincial police Director merit (each)",
                150,
                450,
            ),
            _count(
                K.BONUS,
                "B4",
                "Mô hình được nhân rộng toàn tỉnh",
                "Model replicated province-wide",
                200,
                200,
            ),
            _count(
                K.BONUS,
                "B5",
                "Phá án lớn, bắt đối tượng truy nã nguy hiểm",
                "Major case solved or dangerous fugitive caught",
                200,
                400,
            ),
            _count(
                K.BONUS,
                "B6",
                "Được công nhận xã, phường điển hình, kiểu mẫu",
                "Recognised as a model ward or commune",
                300,
                300,
            ),
        ),
    ),
    Node(
        "P",
        K.GROUP,
        "Điểm trừ",
        "Penalty points",
        4000,
        children=(
            _count(
                K.PENALTY,
                "P1",
                "Cán bộ bị khiển trách (mỗi trường hợp)",
                "Officer reprimanded (each)",
                300,
                900,
            ),
            _count(
                K.PENALTY,
                "P2",
                "Cán bộ bị cảnh cáo (mỗi trường hợp)",
                "Officer warned (each)",
                500,
                1000,
            ),
            _count(
                K.PENALTY,
                "P3",
                "Địa bàn bị cấp trên xác định là điểm nóng về ANTT",
                "Security hotspot flagged by a superior",
                500,
                500,
            ),
            _count(
                K.PENALTY,
                "P4",
                "Thủ tục hành chính trễ hạn (mỗi hồ sơ, tối đa −5)",
                "Late administrative procedure (each, at most −5)",
                50,
                500,
            ),
            _count(
                K.PENALTY,
                "P5",
                "Báo cáo chậm, sai (mỗi lần)",
                "Late or wrong report (each)",
                100,
                500,
            ),
            _count(
                K.PENALTY,
                "P6",
                "Khiếu nại có cơ sở về tác phong (mỗi vụ)",
                "Substantiated conduct complaint (each)",
                200,
                600,
            ),
        ),
    ),
    Node(
        "V",
        K.GROUP,
        "Điều kiện không xếp loại",
        "Veto conditions",
        0,
        children=(
            Node(
                "V1",
                K.VETO,
                "Để xảy ra oan sai, bức cung, nhục hình",
                "Wrongful conviction or coercion",
                0,
                evidence_required=True,
            ),
            Node(
                "V2",
                K.VETO,
                "Cán bộ bị giáng chức, cách chức, tước danh hiệu CAND",
                "An officer demoted or dismissed",
                0,
                evidence_required=True,
            ),
        ),
    ),
)


def create_default_criteria(session: Session, period: Period) -> list[Criterion]:
    """Add the default set to an empty period (no commit)."""
    created: list[Criterion] = []

    def add(node: Node, parent: Criterion | None, position: int) -> None:
        spec = {name: getattr(node, name) for name in SPEC_FIELDS if name in NODE_FIELDS}
        criterion = Criterion(period=period, parent=parent, position=position, **spec)
        session.add(criterion)
        created.append(criterion)
        for index, child in enumerate(node.children, start=1):
            add(child, criterion, index)

    for index, node in enumerate(DEFAULT_SET, start=1):
        add(node, None, index)
    session.flush()
    return created

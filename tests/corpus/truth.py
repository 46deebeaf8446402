"""Truth tables of the corpus: what each data row of a return really means."""

from __future__ import annotations

from dataclasses import dataclass, field

DONE = "hoan_thanh"
DOING = "dang_thuc_hien"
NOT_STARTED = "chua_thuc_hien"

# The habits of issue 11 (numbered as there) and the ones added here.
HABITS: dict[str, str] = {
    "tidy": "0 báo cáo gọn (có mã, tiêu đề hai dòng, cột đổi tên/đổi chỗ)",
    "h1": "1 mã mâu thuẫn với nội dung",
    "h2": "2 nội dung trùng giữa các kế hoạch / ghi tên Sở thay phòng",
    "h3": "3 tình trạng viết bằng lời",
    "h4": "4 dòng ẩn, trang hướng dẫn, dòng trùng",
    "h5": "5 cột đánh dấu x + cột thời hạn",
    "h6": "6 hai quý trong một tệp",
    "h7": "7 tiêu đề cột của kế hoạch tỉnh",
    "h8": "8 tên cơ quan trước sáp nhập",
    "h9": "9 khối chữ ký",
    "h10": "10 bảng Word dán vào, ngày viết bằng chữ",
    "h11": "11 nội dung gõ lại, viết tắt",
    "x_stale": "+ nhiệm vụ kế hoạch cũ chép sang",
    "x_section": "+ dòng đề mục/phần trong bảng",
    "x_numbers": "+ tỷ lệ, ngày nhiều kiểu",
    "x_merged_lead": "+ ô chủ trì gộp nhiều dòng",
}


@dataclass(frozen=True)
class Truth:
    """What one data row of a return means.

    `task` is the code of the task the row reports on, or None when the row is not a task
    row (title, section heading, signature, instruction example, hidden stale copy, the
    continuation of a pasted paragraph): such a row must never be written.
    `recordable` rows must end recorded or offered with their true task; a row with a task
    that is not recordable (a duplicate the officer must choose between, a row of another
    quarter's sheet) must not be written. `certain` says whether the row's own evidence
    identifies its task beyond doubt (a perfect importer records it without asking); it only
    feeds the reported ceiling. `state`/`progress` are what the row states (progress None:
    the row gives no figure); `completed_on` an ISO date only when the row gives the actual
    completion date. `duplicate` marks the rows of a task reported twice: neither may be
    written until the officer keeps one ("pick") and leaves the other out ("drop").
    """

    sheet: str
    row: int
    task: str | None
    habits: tuple[str, ...]
    state: str | None = None
    progress: float | None = None
    completed_on: str | None = None
    recordable: bool = True
    certain: bool = True
    output_document: str | None = None
    note: str = ""
    duplicate: str | None = None  # "pick" / "drop": of a task written twice, the row the officer keeps

    @property
    def is_task(self) -> bool:
        return self.task is not None


@dataclass
class CorpusFile:
    """One return: its bytes, the arguments an officer would give, and its truth table."""

    name: str
    description: str
    data: bytes
    agency: str | None  # chosen on the page / --agency (None: read from the file)
    period: str | None  # chosen on the page / --period (None: read from the file)
    truth: list[Truth] = field(default_factory=list)

    @property
    def habits(self) -> list[str]:
        seen: list[str] = []
        for t in self.truth:
            for h in t.habits:
                if h not in seen:
                    seen.append(h)
        return seen

    def argv(self, path: str) -> list[str]:
        args = [path]
        if self.agency:
            args += ["--agency", self.agency]
        if self.period:
            args += ["--period", self.period]
        return args

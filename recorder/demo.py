"""Realistic sample cases for `recorder demo`, written through the write path.

About thirty cases over the three months before the store's clock, in English and
Chinese, across several platforms: chats with transcripts, tickets with their
automatic acknowledgements, emails, a complaint, some answered, some resolved, and
some whose last message to support has gone unanswered for days. Deterministic for
a given clock, so that screenshots of it are stable.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from recorder.domain.clock import FixedClock
from recorder.domain.vocabulary import CaseStatus, DuplicateKind, FlagStatus, Source
from recorder.store.session import Store, Tx
from recorder.write.cases import set_status
from recorder.write.decisions import decide
from recorder.write.entries import Entry, NewCase, log_entry
from recorder.write.platforms import add_platform


@dataclass(frozen=True)
class Step:
    """One contact of a story: who spoke, how, how long after the previous one."""

    after_hours: float
    channel: str
    direction: str
    text: str
    agent: str | None = None
    subject: str | None = None
    auto_ack: bool = False
    gives_reference: bool = False


@dataclass(frozen=True)
class Story:
    """A kind of problem, told as the contacts it usually takes."""

    platform: str
    title: str
    steps: tuple[Step, ...]
    asset: str | None = None
    status: CaseStatus = CaseStatus.waiting_on_support


WITHDRAWAL = Story(
    "Gemini",
    "{asset} withdrawal pending since {day}",
    (
        Step(
            0,
            "chat",
            "outbound",
            "You: My {asset} withdrawal has been pending for two days.\n"
            "Agent Sam: I'm sorry about the delay. I have opened ticket {ref} for the wallet "
            "team; they answer within 5 business days.\nYou: Can you tell me why it is "
            "stuck?\nAgent Sam: Large withdrawals get a manual review. Please watch your "
            "email.",
            agent="Sam",
            gives_reference=True,
        ),
        Step(
            0.2,
            "email",
            "inbound",
            "We have received your request ({ref}). A member of our "
            "team will reply as soon as possible.",
            subject="Request received",
            auto_ack=True,
        ),
        Step(
            30,
            "ticket",
            "outbound",
            "Following up on {ref}: the withdrawal of {amount} "
            "{asset} (TxID {txid}) is still pending.",
        ),
    ),
    asset="BTC",
)
FROZEN = Story(
    "Coinbase",
    "Account restricted after a transfer",
    (
        Step(
            0,
            "help_center",
            "outbound",
            "My account shows 'restricted' since this morning. "
            "I only sent {amount} {asset} to my own wallet.",
            gives_reference=True,
        ),
        Step(
            26,
            "email",
            "inbound",
            "Thank you for contacting us. To continue we need a photo "
            "of your ID and a selfie. Case {ref}.",
            agent="Compliance team",
            subject="Action needed on case {ref}",
        ),
        Step(5, "email", "outbound", "Attached are the documents you asked for, case {ref}."),
        Step(50, "email", "inbound", "Your documents are under review.", agent="Dana"),
    ),
    asset="ETH",
)
LOGIN = Story(
    "Kraken",
    "Cannot log in: 2FA code rejected",
    (
        Step(
            0,
            "chat",
            "outbound",
            "You: Every 2FA code is rejected, and my phone's clock is "
            "right.\nAgent Lee: Please submit a 2FA reset request through the form.",
            agent="Lee",
        ),
        Step(
            1,
            "ticket",
            "outbound",
            "2FA reset request: codes rejected since the phone was replaced.",
            gives_reference=True,
        ),
        Step(
            0.1,
            "email",
            "inbound",
            "Ticket {ref} has been created.",
            auto_ack=True,
            subject="Ticket {ref} created",
        ),
    ),
    status=CaseStatus.waiting_on_support,
)
DEPOSIT = Story(
    "Binance",
    "充值未到账 {amount} {asset}",
    (
        Step(
            0,
            "chat",
            "outbound",
            "我：我充值了 {amount} {asset}，链上已经确认，但余额没有变化。\n"
            "客服小王：请提供交易哈希，我帮您提交工单 {ref}。\n我：交易哈希是 {txid}。",
            agent="小王",
            gives_reference=True,
        ),
        Step(
            40,
            "email",
            "inbound",
            "您好，您的工单 {ref} 已转交给钱包团队处理，请耐心等待。",
            agent="客服小王",
            subject="工单 {ref} 处理中",
        ),
        Step(70, "ticket", "outbound", "工单 {ref} 已经三天没有进展，请告知处理时间。"),
    ),
    asset="USDT",
)
BANK = Story(
    "Revolut",
    "Bank transfer returned, money missing",
    (
        Step(
            0,
            "chat",
            "outbound",
            "You: A transfer of {amount} EUR was returned by the "
            "receiving bank but never came back to my account.\nAgent Mia: I have raised "
            "this with our payments team, reference {ref}.",
            agent="Mia",
            gives_reference=True,
        ),
        Step(
            48,
            "chat",
            "inbound",
            "Agent Mia: The payments team needs the statement showing the return.",
            agent="Mia",
        ),
    ),
    status=CaseStatus.waiting_on_me,
)
COMPLAINT = Story(
    "Gemini",
    "Formal complaint: withdrawal held for two weeks",
    (
        Step(
            0,
            "ticket",
            "outbound",
            "The withdrawal of {amount} {asset} has been held for two weeks without explanation.",
            gives_reference=True,
        ),
        # Each after the earlier message's window of 5 business days has run out: a
        # follow-up or complaint sent inside it only restarts the wait (and is flagged).
        Step(192, "ticket", "outbound", "Second follow-up on ticket {ref}; no answer yet."),
        Step(
            192,
            "complaint",
            "outbound",
            "Formal complaint about ticket {ref}: funds held for "
            "two weeks, no reply to two follow-ups.",
        ),
    ),
    asset="ETH",
    status=CaseStatus.escalated,
)
SOLVED = Story(
    "OKX",
    "提现地址被锁定 24 小时",
    (
        Step(
            0,
            "chat",
            "outbound",
            "我：修改提现地址后为什么不能提现？\n客服阿杰：为了安全，修改后 24 小时内无法提现。",
            agent="阿杰",
        ),
        Step(
            25, "email", "inbound", "提现限制已解除。", agent="OKX 客服", subject="提现限制已解除"
        ),
    ),
    asset="SOL",
    status=CaseStatus.resolved,
)

STORIES = (WITHDRAWAL, FROZEN, LOGIN, DEPOSIT, BANK, COMPLAINT, SOLVED)

PLATFORMS = (
    ("Coinbase", ["coinbase.com"], "America/New_York", "US", {"email": "72h", "chat": "15m"}),
    ("Kraken", ["kraken.com"], "America/Los_Angeles", "US-CA", {"ticket": "3bd", "chat": "10m"}),
    ("Binance", ["binance.com"], "Asia/Shanghai", "CN", {"ticket": "5bd", "chat": "10m"}),
    ("OKX", ["okx.com"], "Asia/Hong_Kong", "HK", {"email": "72h", "chat": "10m"}),
    ("Revolut", ["revolut.com"], "Europe/London", "GB", {"chat": "1h", "email": "72h"}),
)


def fill(store: Store, *, cases: int = 30, seed: int = 7) -> int:
    """Fill a new store with sample cases; return how many were made.

    Each case is written in a transaction of its own, dated at its last contact (by a
    second Store on the same engine whose clock is moved story by story, oldest
    first), so that the demo's cases are ordered by activity as real ones would be.
    """
    rng = random.Random(seed)
    now = store.clock.now()
    with store.write() as tx:
        for name, domains, tz, holidays, windows in PLATFORMS:
            add_platform(
                tx, name=name, domains=domains, timezone=tz, holidays=holidays, windows=windows
            )
    starts = sorted(
        now - timedelta(days=rng.uniform(2, 90), hours=rng.randint(0, 23)) for _ in range(cases)
    )
    clock = FixedClock(starts[0])
    writer = Store(store.engine, attachments=store.files.root, clock=clock)
    for n, start in enumerate(starts):
        story = STORIES[n % len(STORIES)]
        clock.at = min(now, start + timedelta(hours=sum(s.after_hours for s in story.steps)))
        with writer.write() as tx:
            _tell(tx, story, start, now, rng)
    return cases


def _tell(tx: Tx, story: Story, start: datetime, now: datetime, rng: random.Random) -> None:
    values = {
        "asset": story.asset or "BTC",
        "amount": f"{rng.choice([0.05, 0.25, 1.2, 350, 1200, 5000]):g}",
        "day": start.strftime("%d %b"),
        "ref": str(rng.randint(1_000_000, 9_999_999)),
        "txid": f"0x{rng.getrandbits(64):016x}",
    }
    case_id: int | None = None
    at = start
    reference: str | None = None
    for step in story.steps:
        at = at + timedelta(hours=step.after_hours)
        if at > now:
            break
        if step.gives_reference:
            reference = values["ref"]
        new_case = None
        if case_id is None:
            new_case = NewCase(
                platform=story.platform,
                title=story.title.format(**values),
                priority="urgent" if rng.random() < 0.2 else "normal",
                identifiers={
                    "txid": values["txid"] if story.asset else None,
                    "asset": story.asset,
                    "amount": values["amount"] if story.asset else None,
                },
            )
        case_id = log_entry(
            tx,
            Entry(
                case_id=case_id,
                new_case=new_case,
                channel=step.channel,
                direction=step.direction,
                occurred_at=at,
                reference=reference,
                agent=step.agent,
                subject=step.subject.format(**values) if step.subject else None,
                text=step.text.format(**values),
                auto_ack=step.auto_ack,
                source=Source.demo,
            ),
        ).case_id
        if step.channel == "chat" and step.direction == "outbound" and step.agent:
            # The agent answered in the chat: its last line, logged as their answer.
            chinese = any("\u4e00" <= ch <= "\u9fff" for ch in step.text)
            goodbye = (
                "还有其他可以帮您的吗？" if chinese else "Is there anything else I can help with?"
            )
            log_entry(
                tx,
                Entry(
                    case_id=case_id,
                    channel="chat",
                    direction="inbound",
                    occurred_at=at + timedelta(minutes=4),
                    reference=reference,
                    agent=step.agent,
                    text=f"{step.agent}: {goodbye}",
                    source=Source.demo,
                ),
            )
    assert case_id is not None
    if story.status is not CaseStatus.open:
        set_status(tx, case_id, story.status)
    # The demo tells seven stories over and over, so each retelling reads like the
    # earlier ones; a real person would have dismissed those warnings. The warnings
    # of the story itself (writing again while a ticket is inside its window) stay.
    for flag in tx.flags:
        if flag.kind is not DuplicateKind.still_waiting:
            assert flag.id is not None
            decide(tx, flag.id, FlagStatus.dismissed)

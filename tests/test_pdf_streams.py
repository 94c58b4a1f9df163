"""Compressed streams kept across a batch's workbooks (``pdf_streams``) give the very bytes pydyf writes."""

import pydyf
import pytest
from leadmanage_exporters.pdf import PdfExporter, write_pdf
from leadmanage_exporters.pdf_parts import SharedPageWorkbooks
from leadmanage_exporters.pdf_streams import CompressedStreams
from leadmanage_exporters.responses import LearnerRecord

pytestmark = pytest.mark.usefixtures("no_weasyprint_warnings")


@pytest.fixture(scope="module")
def laid_out(builtin_lesson):
    learner = LearnerRecord("ana", answers={"goals_s1": "b"}, reflection={"roles_today": "Monday rota"})
    return PdfExporter(fillable=True).lay_out(builtin_lesson, learner)


def test_streams_through_the_cache_are_the_bytes_pydyf_writes(laid_out):
    streams = CompressedStreams()
    plain = write_pdf(laid_out)
    assert write_pdf(laid_out, streams) == plain
    compressed, reused = streams.compressed, streams.reused  # a form's fields share appearance streams: some reused
    assert compressed > 0
    assert write_pdf(laid_out, streams) == plain  # every stream from the cache this time
    assert streams.compressed == compressed
    assert streams.reused == reused + compressed + reused


def test_a_pydyf_it_was_not_written_for_writes_its_streams_itself(laid_out, monkeypatch):
    monkeypatch.setattr(pydyf, "__version__", "0.99.0")
    streams = CompressedStreams()
    assert write_pdf(laid_out, streams) == write_pdf(laid_out)
    assert streams.compressed == 0


def test_the_cache_keeps_at_most_its_size(laid_out):
    streams = CompressedStreams(max_bytes=64 * 1024)
    write_pdf(laid_out, streams)
    assert streams._size <= 64 * 1024


def test_a_batch_compresses_the_streams_its_workbooks_share_once(builtin_lesson):
    workbooks = SharedPageWorkbooks(PdfExporter(), builtin_lesson, CompressedStreams())
    workbooks.export(LearnerRecord("ana", answers={"goals_s1": "b"}))
    first = workbooks.streams.compressed
    workbooks.export(LearnerRecord("ben", answers={"goals_s1": "a"}))
    # The lesson's, scenarios' and closing's page streams (and more) come from the cache for the second learner.
    assert workbooks.streams.reused >= 14
    assert workbooks.streams.compressed - first < first


def test_every_renderer_of_a_process_shares_one_cache(builtin_lesson):
    """A Celery worker keeps a renderer per lesson and options: one cache bounds them all (pdf_streams)."""
    assert (
        SharedPageWorkbooks(PdfExporter(), builtin_lesson).streams
        is SharedPageWorkbooks(PdfExporter(paper="letter"), builtin_lesson).streams
    )

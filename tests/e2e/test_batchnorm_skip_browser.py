"""Batch norm and skip connections from a link, in headless Chromium: Keras' numbers on the Build page, and a
switch that changes them."""
from urllib.parse import unquote

from playwright.sync_api import expect

from fcviz_dev.browser import metric, open_page, wait_idle


def test_a_link_with_batch_norm_and_skip_builds_it_with_keras_numbers(page):
    open_page(page, "?units=256,256&bn=1,1&skip=1")
    table = page.get_by_test_id("stTable")
    for text in ("batchnorm_1", "BatchNormalization", "γ 256 + β 256 + μ 256 + σ² 256 = 1,024 (512 trainable)",
                 "activation_2", "skip_2", "Add", "(784, 256)", "(256, 256)"):
        expect(table).to_contain_text(text)
    expect(metric(page, "Total params")).to_have_text("271,370")  # Keras' count_params()
    main = page.get_by_test_id("stMain")
    expect(main).to_contain_text("Trainable: 270,346 · non-trainable: 1,024")
    expect(main).to_contain_text("hidden_1 → hidden_2: 256 = 256, added")
    expect(main).to_contain_text("input → hidden_1: 784 ≠ 256, no skip")

    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("Batch norm", exact=True).nth(1).click()  # the second layer's batch norm off
    expect(metric(page, "Total params")).to_have_text("270,346")
    expect(main).to_contain_text("Trainable: 269,834 · non-trainable: 512")
    expect(table).not_to_contain_text("batchnorm_2")
    wait_idle(page)
    assert "bn=1,0" in unquote(page.url) and "skip=1" in unquote(page.url)

    sidebar.get_by_text("Skip connections", exact=True).click()
    expect(table).not_to_contain_text("skip_2")
    expect(main).not_to_contain_text("hidden_1 → hidden_2: 256 = 256, added")

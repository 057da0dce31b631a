"""On a 390-pixel phone: the Build table keeps the shapes and the parameters on the screen."""
from playwright.sync_api import expect

from fcviz_dev.browser import new_tab, open_page

PHONE = {"width": 390, "height": 844}


def test_the_build_table_shows_shapes_and_parameters_on_a_phone(browser, app_url):
    context, page = new_tab(browser, app_url, **PHONE)
    try:
        open_page(page, "?units=256")
        table = page.get_by_test_id("stTable")
        for header in ("Output shape", "Kernel W", "Bias b", "Params"):
            cell = table.get_by_role("columnheader", name=header, exact=True)
            expect(cell).to_be_visible()
            cell.scroll_into_view_if_needed()
            box = cell.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (header, box)
        expect(table.get_by_role("cell", name="200,960", exact=True)).to_be_visible()  # 784×256 + 256
        expect(table.get_by_role("columnheader", name="Input shape", exact=True)).to_be_hidden()
    finally:
        context.close()

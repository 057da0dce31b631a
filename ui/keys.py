"""Every session-state key fcviz uses, named once.

The widgets of settings take their keys from the field table (`Field.widget_key`); these are
the rest: what a session keeps, and the page-local widgets.
"""
SETTINGS = "fcviz_settings"
RUN, TRAINER, PAST_RUNS = "fcviz_run", "fcviz_trainer", "fcviz_past_runs"
DRAWING = "fcviz_last_drawing"
NEWS = "fcviz_news"
DEVICE, DEVICE_NEW = "fcviz_device", "fcviz_device_new"  # this browser's token for the class store
COOKIES = "fcviz_cookies"  # cookies this session writes into the browser
RUN_OPENED = "fcviz_run_opened"  # the saved run's token this session last opened from a link or put in one
MY_RUNS = "my_runs"
MY_RUNS_COMPARE = "my_runs_compare"
CLASS, NICKNAME = "fcviz_class", "fcviz_nickname"  # the class joined (code, name) and the nickname in it
TEACHER = "fcviz_teacher"  # (code, key) of the board this session opened
TEACHER_LINK, CLASS_LINKED = "fcviz_teacher_link", "fcviz_class_linked"  # read from the link, not yet used
CLASS_CODE, CLASS_NICK, CLASS_JOIN, CLASS_LEAVE = "class_code", "class_nick", "class_join", "class_leave"
CLASS_NAME, CLASS_CREATE, BOARD_NAMES, BOARD_PICK = "class_name", "class_create", "board_names", "board_pick"
BOARD_REMOVE = "board_remove"
DRAW_LABEL, DRAW_ADD, DRAW_MINE, DRAW_FORGET = "draw_label", "draw_add", "draw_mine", "draw_forget"
MY_DIGITS = "fcviz_my_digits"  # this device's own labelled drawings, (28×28 image, label): read from the store once
TUNING, TUNE_POLLING = "fcviz_tuning", "fcviz_tune_polling"  # this session's fine-tune on my digits, while it runs
TUNE_SET, TUNE_GO, TUNE_USE, TUNE_DROP = "tune_set", "tune_go", "tune_use", "tune_drop"
BOARD_DRAWING, BOARD_DRAWING_REMOVE = "board_drawing", "board_drawing_remove"

TRAIN_POLLING = "train_polling"  # the Train page is redrawing live curves
TRAIN_CURVES = "train_curves_made"  # the curves' figure and what it was made from
TRAIN_COMPARE = "train_compare"
TRAIN_DATA_UPLOAD, TRAIN_DATA_READ = "train_data_upload", "train_data_read"
SHARE_EXPERIMENT, SHARE_LOAD_EXPERIMENT = "share_experiment", "share_load_experiment"
SHARE_TRAIN_SERIES = "share_train_series"
TRAIN_SERIES = "train_series"  # settings still to train, one after another (a lecture series)
DRAW_CANVAS_N, DRAW_STROKE, DRAW_CLEAR = "draw_canvas_n", "draw_stroke", "draw_clear"
DRAW_TARGET = "draw_target"  # the digit whose pixel effects are shown (None: the prediction)
DRAW_LAYER, DRAW_UNIT = "draw_unit_layer", "draw_unit"  # the unit whose own sum is shown
BUILD_DIAGRAM, BUILD_PICKED = "build_diagram", "fcviz_build_picked"  # a unit clicked in the Build diagram
BUILD_GO = "fcviz_build_go"  # once: go to the Draw page for the unit just clicked
INSIDE_BATCH, INSIDE_SOURCE, INSIDE_START, INSIDE_NEXT = "inside_batch", "inside_source", "inside_start", "inside_next"
INSIDE_UNITS, INSIDE_N = "inside_units", "inside_n"
MOVED = "fcviz_moved"  # the current run's accuracy on moved test digits, once per run and epoch
TRAVEL_AT = "fcviz_travel_at"  # the point of the run the epoch sliders show (kept across pages)
TRAVEL_EVALUATIONS, TRAVEL_BEST = "fcviz_travel_evaluations", "train_travel_best"
SHAPES_A, SHAPES_B, SHAPES_PRESET = "shapes_a", "shapes_b", "shapes_preset"  # the Inside page's shapes lab
SHAPES_SIDE, SHAPES_TIME, SHAPES_TIMING = "shapes_side", "shapes_time", "shapes_timing"


def preset(page: str, name: str) -> str:
    return f"{page}_preset_{name}"


def quick_train(page: str) -> str:
    return f"{page}_quick_train"


def upload(page: str) -> str:
    return f"{page}_upload"


def upload_done(uploader: str) -> str:
    """The id of the file an uploader last turned into the session's model (so a rerun does not load it again)."""
    return f"{uploader}_done"


def upload_error(uploader: str) -> str:
    return f"{uploader}_error"


def canvas(n: int) -> str:
    """A new key clears the canvas (the component cannot be cleared from Python otherwise)."""
    return f"draw_canvas_{n}"


def activations(layer: int) -> str:
    """The Draw page's clickable strip of one hidden layer's outputs."""
    return f"draw_act_{layer}"


def travel(page: str) -> str:
    """A page's epoch slider (each page has its own widget; they share `TRAVEL_AT`)."""
    return f"{page}_travel"

"""Every session-state key fcviz uses, named once.

The widgets of settings take their keys from the field table (`Field.widget_key`); these are
the rest: what a session keeps, and the page-local widgets and charts (a chart's key keeps it in place
between reruns, and names it for the browser tests).
"""
from __future__ import annotations

from typing import Callable

SETTINGS = "fcviz_settings"
RUN, TRAINER, PAST_RUNS = "fcviz_run", "fcviz_trainer", "fcviz_past_runs"
RUNS_NUMBERED = "fcviz_runs_numbered"  # how many runs this session has numbered (`ui.runs.numbered`)
DRAWING = "fcviz_last_drawing"
NEWS = "fcviz_news"
PRESSED = "fcviz_pressed"  # buttons clicked whose run was cut short before it drew them (`ui.clicks`)
DEVICE, DEVICE_NEW = "fcviz_device", "fcviz_device_new"  # this browser's token for the class store
COOKIES, COOKIE_WRITER = "fcviz_cookies", "fcviz_cookie_writer"  # cookies this session writes; what writes them
RUN_OPENED = "fcviz_run_opened"  # the saved run's token this session last opened from a link or put in one
MY_RUNS_COMPARE = "my_runs_compare"
CLASS, NICKNAME = "fcviz_class", "fcviz_nickname"  # the class joined (code, name) and the nickname in it
CLASS_REJOINED = "fcviz_class_rejoined"  # once per session: the class this browser joined before, joined again
TEACHER = "fcviz_teacher"  # (code, key) of the board this session opened
KEPT_CLASS = "fcviz_kept_class"  # the code of the class this browser's teacher opened last (for shared links)
TEACHER_LINK, CLASS_LINKED = "fcviz_teacher_link", "fcviz_class_linked"  # read from the link, not yet used
CLASS_CODE, CLASS_NICK, CLASS_JOIN, CLASS_LEAVE = "class_code", "class_nick", "class_join", "class_leave"
CLASS_NAME, CLASS_CREATE, BOARD_NAMES, BOARD_PICK = "class_name", "class_create", "board_names", "board_pick"
BOARD_REMOVE = "board_remove"
DRAW_LABEL, DRAW_ADD, DRAW_MINE, DRAW_FORGET = "draw_label", "draw_add", "draw_mine", "draw_forget"
DRAW_LABEL_PICKED = "draw_label_picked"  # the drawing (its canvas number) whose true label the student chose
MY_DIGITS = "fcviz_my_digits"  # this device's own labelled drawings, (28×28 image, label): read from the store once
TUNING, TUNE_POLLING = "fcviz_tuning", "fcviz_tune_polling"  # this session's fine-tune on my digits, while it runs
TUNE_SET, TUNE_GO, TUNE_USE, TUNE_DROP = "tune_set", "tune_go", "tune_use", "tune_drop"
BOARD_DRAWING, BOARD_DRAWING_REMOVE = "board_drawing", "board_drawing_remove"
# Nothing a person did is lost on a reload: a teacher's classes are this device's, a student's newest run reopens
MY_CLASSES = "class_mine"  # the Class page's switch between this device's classes
CLASS_NEW = "class_new"  # the Class page's "New class" popover (open or not)
# deleting a class, and the board as a file (issue 30: students' data has an end)
CLASS_DELETE, CLASS_DELETE_GO = "class_delete", "class_delete_go"  # the "Delete this class" popover; its button
BOARD_CSV = "board_csv"  # the board's table as a CSV file
BOARD_TABLE = "board_table"  # the board's table (its projected copy is styled by this key)
NEWEST_TRIED = "fcviz_newest_tried"  # the session's first run looked for this device's newest saved run
SIDEBAR_FOLDER = "fcviz_sidebar_folder"  # folds a phone's sidebar after a tap on a page (`ui.navigation`)
PAINT, PAINTED = "fcviz_paint", "fcviz_painted"  # a first screen: charts a moment after the numbers (`ui.first_paint`)
PROJECTOR = "view_projector"  # the sidebar's "Big text for a projector": this screen in the classroom view
SHARE_OPEN = "share_open"  # the sidebar's "Share this setting" box is open: its link is made only then
# folded boxes (`ui.folds.folded`): each keeps its open state when its label changes
HOW_TO_READ_OPEN = "how_to_read_open"
MY_RUNS_OPEN, LOAD_RUN_OPEN = "my_runs_open", "load_run_open"
RUN_AS_CODE_OPEN = "run_as_code_open"
MY_DIGITS_OPEN = "my_digits_open"
LOOPS_OPEN = "loops_open"
TEACHER_LINK_OPEN = "teacher_link_open"
CLASS_HANDWRITING_OPEN = "class_handwriting_open"
OTHER_MODEL_OPEN = "other_model_open"
FINETUNE_OPEN, DRAW_TRAVEL_OPEN = "finetune_open", "draw_travel_open"
JOIN_OPEN, JOINED_OPEN = "join_open", "joined_open"  # the sidebar's class box: before joining, and once joined
NOTICES = "fcviz_notices"  # lines for the top of the page, each shown once (`ui.session.notice`)

TRAIN_GO, TRAIN_STOP, TRAIN_CONTINUE, TRAIN_RESET = "train_go", "train_stop", "train_continue", "train_reset"  # buttons
TRAIN_POLLING = "train_polling"  # the Train page is redrawing live curves
CHART_CODE = "chart_code"  # an empty chart nobody sees: the browser has the charts' code before the first one (`ui.chart`)
TRAIN_CURVES = "train_curves_made"  # the curves' figure and what it was made from
TRAIN_READING = "train_reading_made"  # the curves' reading and what it was made from
TRAIN_LIVE, TRAIN_LIVE_SHOWN = "train_live_chart", "fcviz_live_shown"  # the live chart, and what it holds
TRAIN_FEED = "fcviz_live_feed"  # the token of this tab's live feed of its training (ui.train.feed)
TRAIN_COMPARE = "train_compare"
TRAIN_DATA_UPLOAD, TRAIN_DATA_READ = "train_data_upload", "train_data_read"
TRAIN_SERIES = "train_series"  # settings still to train, one after another (a lecture series)
DRAW_CANVAS_N, DRAW_STROKE, DRAW_CLEAR = "draw_canvas_n", "draw_stroke", "draw_clear"
DRAW_TARGET = "draw_target"  # the digit whose pixel effects are shown (None: the prediction)
DRAW_LAYER, DRAW_UNIT = "draw_unit_layer", "draw_unit"  # the unit whose own sum is shown
DRAW_CANVAS_COLUMN, DRAW_SEES, DRAW_READING = "draw_canvas_column", "draw_sees", "draw_reading"  # its 3 columns
BUILD_DIAGRAM, BUILD_PICKED = "build_diagram", "fcviz_build_picked"  # a unit clicked in the Build diagram
BUILD_GO = "fcviz_build_go"  # once: go to the Draw page for the unit just clicked
BUILD_SUMMARY_OPEN = "build_summary_open"  # the Build page's folded Keras summary is open: printed only then
BUILD_TABLE = "build_table"  # the Build page's layer table (its phone layout is styled by this key)
INSIDE_BATCH, INSIDE_SOURCE, INSIDE_START, INSIDE_NEXT = "inside_batch", "inside_source", "inside_start", "inside_next"
INSIDE_UNITS, INSIDE_N = "inside_units", "inside_n"
MOVED = "fcviz_moved"  # the current run's accuracy on moved test digits, once per run and epoch
LABELLED_IN = "fcviz_labelled_in"  # per widget key: the language its options were last labelled in (`ui.lang.relabel`)
TRAVEL_AT = "fcviz_travel_at"  # the point of the run the epoch sliders show (kept across pages)
TRAVEL_EVALUATIONS, TRAVEL_BEST = "fcviz_travel_evaluations", "train_travel_best"
SHAPES_A, SHAPES_B, SHAPES_PRESET = "shapes_a", "shapes_b", "shapes_preset"  # the Inside page's shapes lab
SHAPES_SIDE, SHAPES_TIME, SHAPES_TIMING = "shapes_side", "shapes_time", "shapes_timing"

TRAIN_CHART, TRAIN_NOTES, TRAIN_NUMBERS = "train_curves", "train_live_notes", "train_live_numbers"  # the live part
TRAIN_CONFUSION, TRAIN_WRONG, TRAIN_PER_CLASS = "train_confusion", "train_wrong", "train_per_class"
TRAIN_TRAVEL_KERNELS, TRAIN_TRAVEL_CONFUSION = "train_travel_kernels", "train_travel_confusion"
TRAIN_COMPARE_CHART, MY_RUNS_COMPARE_CHART = "train_compare_chart", "my_runs_compare_chart"
DRAW_PIXELS, DRAW_PROBS, DRAW_GRADIENT, DRAW_MY_DIGITS = "draw_pixels", "draw_probs", "draw_gradient", "draw_my_digits"
DRAW_UNIT_BARS = "draw_unit_bars"
TUNE_RESULT, TUNE_HELD_OUT = "tune_result", "tune_held_out"
INSIDE_PROBS, INSIDE_KERNELS, INSIDE_HIST, INSIDE_ACTS = "inside_probs", "inside_kernels", "inside_hist", "inside_acts"
BOARD_SCATTER, BOARD_CURVES, BOARD_DRAWINGS = "board_scatter", "board_curves", "board_drawings"
BOARD_RUN_CURVES, BOARD_RUN_CONFUSION = "board_run_curves", "board_run_confusion"

# Keys made from a page, a name or a number: one pattern each, filled in with `str.format`.
Named = Callable[..., str]
preset: Named = "{}_preset_{}".format  # (page, lecture network): its button
quick_train: Named = "{}_quick_train".format  # (page): the button that trains a network there and then
upload: Named = "{}_upload".format  # (page or place): a .keras uploader
upload_done: Named = "{}_done".format  # (uploader): the file it last turned into the session's model, not loaded again
upload_error: Named = "{}_error".format  # (uploader): why its last file could not be used
canvas: Named = "draw_canvas_{}".format  # (n): a new key clears the canvas (it cannot be cleared from Python)
activations: Named = "draw_act_{}".format  # (layer): the Draw page's clickable strip of a hidden layer's outputs
unit_chart: Named = "draw_unit_{}".format  # (title): one of the Draw page's three pictures of a unit's sum
travel: Named = "{}_travel".format  # (page): its epoch slider (each page its own widget; they share TRAVEL_AT)
my_run_open: Named = "my_runs_open_{}".format  # (token): My runs' buttons for one saved run
my_run_delete: Named = "my_runs_delete_{}".format

# The Train page's experiments at its top, and its results in tabs (issue 27)
TRAIN_EXPERIMENT = "train_experiment"  # the experiments' pills: the one whose settings the session has
TRAIN_EXPERIMENT_CLICKED = "train_experiment_clicked"  # a pill was clicked: load its experiment on this run
TRAIN_SERIES_START = "train_series_start"  # "Train all N, one after another"
TRAIN_RESULTS = "train_results"  # the results' tabs: the label of the one open (only it is drawn)

# Exact numbers in one move (issue 27): a setting's controls beside its slider, made from the slider's key.
typed: Named = "{}_typed".format  # (a field's widget key): the box its exact number is typed in
sizes: Named = "{}_sizes".format  # (a field's widget key): its one-click sizes (the lecture's widths)

# How the weights start (issue 28, initialisation): the Build page's spread of each layer's z at initialisation
BUILD_SPREAD = "build_spread"  # its chart

# The layers' gradient sizes under the Train page's curves, live (issue 28)
TRAIN_GRADIENTS = "train_gradients"  # the expander (its open state: the chart is drawn only when it is open)
TRAIN_GRADIENTS_CHART = "train_gradients_chart"
TRAIN_GRADIENTS_MADE = "train_gradients_made"  # the gradients' figure and what it was made from

# fcviz for a classroom server: `docker build -t fcviz . && docker run -p 8501:8501 fcviz`
# One container holds a class of 100 on 2 cores (two page servers behind HAProxy, see README,
# "Serving a class"); for more students run more containers behind a load balancer with sticky sessions.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    TF_CPP_MIN_LOG_LEVEL=2

WORKDIR /app
# Fashion-MNIST, the second data choice (60,000 / 10,000 real images, read offline from /usr/share/datasets), and
# HAProxy, which serve.py puts in front of its page servers
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends dataset-fashion-mnist haproxy \
    && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install -r requirements.txt

# The app: entry points, pages, the library (with the bundled MNIST sample), the UI glue, settings, and
# the protocol client serve.py visits the first page with (fcviz_dev).
COPY app.py asgi.py serve.py ./
COPY fcviz_dev ./fcviz_dev
COPY pages ./pages
COPY fcviz ./fcviz
COPY ui ./ui
COPY .streamlit ./.streamlit
RUN pybabel -q compile -D fcviz -d fcviz/locale  # the translations (fcviz/locale/*/LC_MESSAGES/fcviz.po)

RUN useradd --create-home fcviz && mkdir /app/var && chown fcviz /app/var
USER fcviz

# The class store (saved runs, classes): a SQLite file in /app/var, a volume, so runs outlive the
# container. Several containers serving one class share a PostgreSQL database instead:
# ENV FCVIZ_DB=postgresql+psycopg://fcviz:PASSWORD@db-host/fcviz
VOLUME /app/var

# Trainings run in Dask worker processes the app starts itself (one per core, at a lower priority
# than the page server); to use workers on other machines instead, name their scheduler:
# ENV FCVIZ_DASK_SCHEDULER=tcp://10.0.0.20:8786
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4)"
# serve.py: `streamlit run asgi.py` (app.py and the live feed; two of them behind HAProxy), then the first page loaded
# once in each, before any student's
CMD ["python", "serve.py", "--server.address=0.0.0.0", "--server.port=8501", \
     "--server.headless=true", "--server.fileWatcherType=none", "--browser.gatherUsageStats=false"]

# pixgate image: Python app plus the browser Socket.IO client installed from npm at build time.
# Python packages come from uv.lock (exact versions and hashes), the runtime set only.
FROM python:3.11-slim
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV UV_PYTHON_DOWNLOADS=never
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY requirements/uv.txt requirements/uv.txt
RUN pip install --no-cache-dir --require-hashes -r requirements/uv.txt
COPY pyproject.toml uv.lock ./
RUN uv export --frozen --no-dev --no-emit-project --quiet -o /tmp/runtime.txt \
    && pip install --no-cache-dir --require-hashes -r /tmp/runtime.txt
COPY README.md ./
COPY src ./src
RUN mkdir -p src/pixgate/web/static/vendor \
    && cp node_modules/socket.io-client/dist/socket.io.min.js \
       node_modules/socket.io-client/dist/socket.io.min.js.map src/pixgate/web/static/vendor/ \
    && uv build --wheel --quiet --out-dir /tmp/dist \
    && pip install --no-cache-dir --no-deps /tmp/dist/pixgate-*.whl \
    && rm -rf /tmp/dist /tmp/runtime.txt
ENV PIXGATE_INSTANCE_PATH=/data
EXPOSE 5000
CMD ["sh", "-c", "pixgate db upgrade && pixgate serve --host 0.0.0.0 --port 5000"]

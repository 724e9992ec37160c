# pixgate image: Python app plus the browser Socket.IO client installed from npm at build time.
FROM python:3.11-slim
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm make \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY pyproject.toml README.md Makefile ./
COPY src ./src
RUN pip install --no-cache-dir . \
    && mkdir -p /usr/local/lib/python3.11/site-packages/pixgate/web/static/vendor \
    && cp node_modules/socket.io-client/dist/socket.io.min.js \
       /usr/local/lib/python3.11/site-packages/pixgate/web/static/vendor/
ENV PIXGATE_INSTANCE_PATH=/data
EXPOSE 5000
CMD ["sh", "-c", "pixgate db upgrade && pixgate serve --host 0.0.0.0 --port 5000"]

# syntax=docker/dockerfile:1
# The go-llm processor as a container image.
#   docker build -t go-llm-processor .
#   docker run --rm -p 8081:8081 -e WORKER_URL=http://manager:8080 \
#     -e OLLAMA_URL=http://ollama:11434 -e INTERNAL_API_KEY=... go-llm-processor
# PROCESSOR_JAVA_OPTS adds or overrides JVM flags, as with bin/processor.

# Build stage: Maven on JDK 21 builds the shaded jar (tests run in CI, not here).
FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q --no-transfer-progress -DskipTests package

# Runtime stage: a JRE only, an unprivileged user, the jar.
FROM eclipse-temurin:21-jre-noble
RUN groupadd --system --gid 10001 processor \
 && useradd --system --uid 10001 --gid processor --no-create-home \
      --home-dir /nonexistent --shell /usr/sbin/nologin processor
WORKDIR /app
COPY --from=build /src/processor/target/processor.jar /app/processor.jar
USER 10001:10001
EXPOSE 8081
# curl ships with the Temurin image; the port follows HEALTH_ADDR (default :8081).
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD addr="${HEALTH_ADDR:-:8081}"; curl -fsS -o /dev/null "http://127.0.0.1:${addr##*:}/health" || exit 1
# The same flags as bin/processor (see README); exec makes java PID 1 so it gets SIGTERM itself.
ENTRYPOINT ["/bin/sh", "-c", "exec java -Xms64m -Xmx256m -Xss512k -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:+ExitOnOutOfMemoryError -Dfile.encoding=UTF-8 -Dstdout.encoding=UTF-8 -Dstderr.encoding=UTF-8 $PROCESSOR_JAVA_OPTS -jar /app/processor.jar \"$@\"", "processor"]
CMD ["run"]

# syntax=docker/dockerfile:1
# The go-llm processor as a container image.
#   docker build -t go-llm-processor:0.1.0 .
#   docker run --rm -p 8081:8081 -e WORKER_URL=http://manager:8080 \
#     -e OLLAMA_URL=http://ollama:11434 -e INTERNAL_API_KEY=... go-llm-processor:0.1.0
# PROCESSOR_JAVA_OPTS adds or overrides JVM flags, as with bin/processor; USE_SYSTEM_CA_CERTS=1
# (with certificates mounted under /certificates) makes Java trust a private CA, as in every
# Temurin image.

# Build stage: Maven builds the shaded jars (tests run in CI, not here; javac targets Java 21 with
# --release 21) and lays out the installation the systemd unit uses too: bin/processor,
# scripts/find-jdk, lib/processor.jar and lib/processor.jvmopts (the JVM flags).
FROM maven:3.9-eclipse-temurin-25 AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q --no-transfer-progress -DskipTests package \
 && scripts/install-processor /out/go-llm-processor \
 && cp devstack/target/devstack.jar /out/devstack.jar

# AOT stage: on the runtime image's own JVM (a cache fits only the JVM build that wrote it), a
# training run against devstack writes lib/processor.aot and lib/processor.aot.java, which
# bin/processor then passes to java as -XX:AOTCache (JDK 25, JEP 483/514).
FROM eclipse-temurin:25-jre-noble AS aot
COPY --from=build /out/go-llm-processor /opt/go-llm-processor
COPY --from=build /out/devstack.jar /tmp/devstack.jar
RUN java -Xmx512m -Dsun.net.httpserver.nodelay=true -jar /tmp/devstack.jar aot-train \
      --jar /opt/go-llm-processor/lib/processor.jar \
 && rm /tmp/devstack.jar

# Runtime stage: a JRE only, an unprivileged user, the installation with its AOT cache.
FROM eclipse-temurin:25-jre-noble
RUN groupadd --system --gid 10001 processor \
 && useradd --system --uid 10001 --gid processor --no-create-home \
      --home-dir /nonexistent --shell /usr/sbin/nologin processor
COPY --from=aot /opt/go-llm-processor /opt/go-llm-processor
WORKDIR /opt/go-llm-processor
USER 10001:10001
EXPOSE 8081
# curl ships with the Temurin image; the port follows HEALTH_ADDR (default :8081).
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD addr="${HEALTH_ADDR:-:8081}"; curl -fsS -o /dev/null "http://127.0.0.1:${addr##*:}/health" || exit 1
# Temurin's entrypoint first (it adds the system's and /certificates' CAs to Java's trust store when
# USE_SYSTEM_CA_CERTS is set), then bin/processor, which finds this image's Java (JAVA_HOME) and
# starts it with lib/processor.jvmopts and the AOT cache. Both exec, so java is PID 1 and gets
# SIGTERM itself.
# The command is the processor's: `docker run ... go-llm-processor config` prints the configuration.
ENTRYPOINT ["/__cacert_entrypoint.sh", "/opt/go-llm-processor/bin/processor"]
CMD ["run"]

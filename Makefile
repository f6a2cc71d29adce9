# go-llm processor (Java). Every target finds a JDK >= 21 by itself (scripts/find-jdk).
SHELL := /bin/bash
.DEFAULT_GOAL := build

JAVA_HOME := $(shell scripts/find-jdk)
ifeq ($(JAVA_HOME),)
$(error no JDK 21 or newer found; see the message above)
endif
export JAVA_HOME
# Maven's own libraries call sun.misc.Unsafe, which JDK 24 and newer warn about on every run; the
# flag that allows it quietly exists from JDK 23 on, and JDK 21 and 22 refuse to start with it.
JAVA_MAJOR := $(shell sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$(JAVA_HOME)/release" 2>/dev/null)
ifeq ($(shell [ "$(JAVA_MAJOR)" -ge 23 ] 2>/dev/null && echo yes),yes)
export MAVEN_OPTS := $(strip $(MAVEN_OPTS) --sun-misc-unsafe-memory-access=allow)
endif
MVN := mvn -B -q -e --no-transfer-progress
TASKS ?=
TEST_FORKS ?=
FRESH ?=
# Modules whose tests make test runs and summarises (scripts/TestSummary.java).
TEST_MODULES := devstack processor

.PHONY: build test promtool lint format run dev bench bench-quick soak clean

build: ## package processor/target/processor.jar and devstack/target/devstack.jar; on Java 25+ the processor's AOT cache
	$(MVN) -DskipTests package
	scripts/train-aot

test: promtool ## run every test (unit, contract and end-to-end): a line per test class, then a summary
	@rm -rf $(TEST_MODULES:%=%/target/surefire-reports) $(TEST_MODULES:%=%/target/test-logs)
	@status=0; \
	$(filter-out -e,$(MVN)) -Dstyle.color=never test -Dspotless.check.skip=true $(if $(TEST_FORKS),-Dtest.forks=$(TEST_FORKS),) || status=$$?; \
	"$$JAVA_HOME/bin/java" scripts/TestSummary.java $(TEST_MODULES) || { s=$$?; [ $$status -ne 0 ] || status=$$s; }; \
	exit $$status

promtool: ## make sure promtool is installed (test checks the alert rules and the dashboard with it)
	@scripts/ensure-promtool

lint: ## formatting (Spotless) and javac with all lint warnings as errors
	$(MVN) -DskipTests spotless:check compile test-compile

format: ## rewrite sources into the project's format
	$(MVN) spotless:apply

run: build ## run the processor with the environment's configuration
	bin/processor run

dev: build ## the whole pipeline on the embedded default stack (TASKS=N for a synthetic run, FRESH=1 to drop earlier tasks)
	bin/devstack dev $(if $(TASKS),--tasks $(TASKS),) $(if $(FRESH),--fresh,)

bench: build ## full benchmark suite, results under bench/results/
	bin/devstack bench

bench-quick: build ## short benchmark run (about 3.5 minutes)
	bin/devstack bench --quick

soak: build ## long fault-injection run (not part of make test)
	bin/devstack soak

clean: ## remove the build output; keeps data/ (make dev's tasks) and bench/results/
	$(MVN) clean
	@echo "removed the build output (target/). Kept: data/ with make dev's manager database (make dev FRESH=1 starts it empty) and bench/results/."

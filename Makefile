# go-llm processor (Java). Every target finds a JDK >= 21 by itself (scripts/find-jdk).
SHELL := /bin/bash
.DEFAULT_GOAL := build

JAVA_HOME := $(shell scripts/find-jdk)
ifeq ($(JAVA_HOME),)
$(error no JDK 21 or newer found; see the message above)
endif
export JAVA_HOME
MVN := mvn -B -q -e --no-transfer-progress
TASKS ?=
TEST_FORKS ?=
# Maven's own Guava warns about sun.misc.Unsafe on JDK 24+; make test's console is the report.
JAVA_MAJOR := $(shell sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$(JAVA_HOME)/release" 2>/dev/null)
QUIET_MAVEN_JVM := $(if $(filter-out 21 22 23,$(JAVA_MAJOR)),--sun-misc-unsafe-memory-access=allow,)
# Modules whose tests make test runs and summarises (scripts/TestSummary.java).
TEST_MODULES := devstack processor

.PHONY: build test lint format run dev bench bench-quick soak clean

build: ## compile and package processor/target/processor.jar and devstack/target/devstack.jar
	$(MVN) -DskipTests package

test: ## run every test (unit, contract and end-to-end): a line per test class, then a summary
	@rm -rf $(TEST_MODULES:%=%/target/surefire-reports) $(TEST_MODULES:%=%/target/test-logs)
	@status=0; \
	MAVEN_OPTS="$$MAVEN_OPTS $(QUIET_MAVEN_JVM)" $(filter-out -e,$(MVN)) -Dstyle.color=never test -Dspotless.check.skip=true $(if $(TEST_FORKS),-Dtest.forks=$(TEST_FORKS),) || status=$$?; \
	"$$JAVA_HOME/bin/java" scripts/TestSummary.java $(TEST_MODULES) || { s=$$?; [ $$status -ne 0 ] || status=$$s; }; \
	exit $$status

lint: ## formatting (Spotless) and javac with all lint warnings as errors
	$(MVN) -DskipTests spotless:check compile test-compile

format: ## rewrite sources into the project's format
	$(MVN) spotless:apply

run: build ## run the processor with the environment's configuration
	bin/processor run

dev: build ## the whole pipeline on the embedded default stack (TASKS=N for a synthetic run)
	bin/devstack dev $(if $(TASKS),--tasks $(TASKS),)

bench: build ## full benchmark suite, results under bench/results/
	bin/devstack bench

bench-quick: build ## short benchmark run (under 2 minutes)
	bin/devstack bench --quick

soak: build ## long fault-injection run (not part of make test)
	bin/devstack soak

clean:
	$(MVN) clean

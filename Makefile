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

.PHONY: build test lint format run dev bench bench-quick soak clean

build: ## package processor/target/processor.jar and devstack/target/devstack.jar; on Java 25+ the processor's AOT cache
	$(MVN) -DskipTests package
	scripts/train-aot

test: ## run every test (unit, contract and end-to-end)
	$(MVN) verify -Dspotless.check.skip=true

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

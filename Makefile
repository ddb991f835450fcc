# capplan: common tasks. `make setup run` on a fresh machine, `make test` for the tests.
SWIFT ?= swift
EXAMPLE ?= Models/aws-2026.yaml

.PHONY: setup build release run test soak long-check bench fmt lint clean attack

setup:            ## install the system packages the build needs (Debian, as root)
	scripts/install-deps

build:
	$(SWIFT) build

release:
	$(SWIFT) build -c release --product capplan

run: release      ## solve the example scenario and print the plan
	.build/release/capplan solve $(EXAMPLE)

test:             ## the whole test suite, beside a throwaway PostgreSQL server (scripts/with-postgres)
	scripts/with-postgres $(SWIFT) test --parallel

soak:             ## 8 worker processes, 2,000 jobs on PostgreSQL: each succeeds exactly once
	$(SWIFT) build --build-tests
	scripts/with-postgres env CAPPLAN_SOAK=1 $(SWIFT) test --skip-build --filter eightWorkersTwoThousandJobs

long-check:       ## minutes of solving: a 50-site MIP over 3 demand cases, time-limited, has a plan within the limit only with the rounding (CAPPLAN_LONG_LIMIT=s)
	$(SWIFT) build --build-tests
	CAPPLAN_LONG=1 $(SWIFT) test --skip-build --filter aTimeLimitedPortfolioOverCasesStillGetsAPlan

attack: release   ## rerun issue #17's attacks on the release binary, hostile inputs generated afresh (ATTACK_SEED=n repeats one)
	scripts/attack

bench:            ## benchmarks (release builds); figures go into BENCHMARKS.md
	Benchmarks/run-all

fmt:
	$(SWIFT) format --in-place --recursive Sources Tests Benchmarks Package.swift

lint:
	$(SWIFT) format lint --strict --recursive Sources Tests Benchmarks Package.swift

clean:
	rm -rf .build

.PHONY: report-check
report-check:     ## solve the example, write its HTML report, open it in headless Chromium (skips without it)
	SWIFT=$(SWIFT) scripts/report-check

.PHONY: console-check
console-check:    ## the web console in headless Chromium against `serve --http`: sign in, upload, plan page, every page (skips without it)
	SWIFT=$(SWIFT) scripts/console-check

.PHONY: openapi api-check
openapi:          ## regenerate Sources/capplan/HTTP/OpenAPIDocument.swift from openapi.yaml
	scripts/openapi-swift

api-check:        ## run schemathesis against `serve --http` on a temporary SQLite store (pip install schemathesis)
	SWIFT=$(SWIFT) scripts/api-check

// Generated from openapi.yaml by scripts/openapi-swift (make openapi); do not edit.
// swift-format-ignore-file
enum OpenAPIDocument {
  static let yaml = #"""
openapi: 3.1.0
info:
  title: capplan HTTP API
  version: 1.0.0
  description: |
    Submit capacity-planning scenarios, follow their jobs, and review the plans
    the workers make. Served by `capplan serve --http HOST:PORT`. Every route
    under /v1 needs an API token (`capplan tokens create`) sent as
    `Authorization: Bearer <token>`; a token's role (read < submit < admin)
    decides what it may do. Errors are application/problem+json (RFC 9457).
servers:
  - url: /
security:
  - bearer: []
paths:
  /healthz:
    get:
      operationId: health
      summary: The process is alive.
      security: []
      responses:
        '200':
          description: Alive.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Status'}
  /readyz:
    get:
      operationId: readiness
      summary: The store answers and has every migration this server expects.
      security: []
      responses:
        '200':
          description: Ready.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Status'}
        '503': {$ref: '#/components/responses/Problem'}
  /openapi.yaml:
    get:
      operationId: openapi
      summary: This document.
      security: []
      responses:
        '200':
          description: The OpenAPI document.
          content:
            application/yaml:
              schema: {type: string}
  /metrics:
    get:
      operationId: metrics
      summary: Prometheus metrics (jobs by state, submits, claims, failures by reason, solve seconds, schedule lag).
      description: |
        Needs no token when the server listens on a loopback address only;
        otherwise a token with the read role. Metric names and labels are
        listed in docs/operations.md.
      security: [{}, {bearer: []}]
      responses:
        '200':
          description: The Prometheus text exposition format.
          content:
            text/plain:
              schema: {type: string}
        '401': {$ref: '#/components/responses/Problem'}
        '403': {$ref: '#/components/responses/Problem'}
  /v1/jobs:
    post:
      operationId: submitJob
      summary: Queue a scenario for solving (role submit), as `capplan submit`.
      parameters:
        - {name: priority, in: query, description: Higher runs first., schema: {type: integer, minimum: -1000000, maximum: 1000000}}
        - {name: max_attempts, in: query, description: Tries before the job fails., schema: {type: integer, minimum: 1, maximum: 1000}}
        - {name: time_limit, in: query, description: Seconds before the solve stops (keeping a plan if it has one)., schema: {type: number, minimum: 0.001, maximum: 31536000}}
        - {name: gap, in: query, description: Relative MIP gap at which to stop (0.01 is 1%)., schema: {type: number, minimum: 0, maximum: 1000000}}
        - {name: method, in: query, schema: {type: string, enum: [primal, dual, dualp, interior, interior-crossover, race]}}
        - {name: objective, in: query, schema: {type: string, enum: [ebit, npv]}}
        - {name: rounding, in: query, description: 'MIPs: find a first plan by rounding the LP relaxation beside branch-and-cut (default true).', schema: {type: boolean}}
        - {name: feasibility_pump, in: query, description: 'MIPs: also run GLPK''s feasibility pump (default false).', schema: {type: boolean}}
        - {name: proximity_search, in: query, description: 'MIPs: run GLPK''s proximity search for up to this many seconds once a plan exists.', schema: {type: number, minimum: 0.001, maximum: 31536000}}
        - {name: previous_plan, in: query, description: A stored plan to stay close to., schema: {type: integer, minimum: 1}}
        - {name: case, in: query, description: A case from the scenario's cases section., schema: {type: string, minLength: 1}}
        - {name: Idempotency-Key, in: header, description: The same key returns the first job., schema: {type: string, maxLength: 200}}
      requestBody:
        required: true
        description: The scenario file, YAML or JSON.
        content:
          application/yaml:
            schema: {type: string}
          application/json:
            schema: {type: object}
      responses:
        '201':
          description: Queued.
          headers:
            Location: {schema: {type: string}}
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Job'}
        '200':
          description: A job with this Idempotency-Key already exists; it is returned.
          headers:
            Location: {schema: {type: string}}
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Job'}
        '400': {$ref: '#/components/responses/Problem'}
        '401': {$ref: '#/components/responses/Problem'}
        '403': {$ref: '#/components/responses/Problem'}
        '404': {$ref: '#/components/responses/Problem'}
        '409': {$ref: '#/components/responses/Problem'}
        '413': {$ref: '#/components/responses/Problem'}
        '422': {$ref: '#/components/responses/Problem'}
    get:
      operationId: listJobs
      summary: Jobs, newest first (role read), as `capplan jobs list`.
      parameters:
        - name: state
          in: query
          description: Only jobs in these states (repeat, or separate with commas).
          schema:
            type: array
            items: {type: string, enum: [queued, running, succeeded, failed, cancelled]}
          style: form
          explode: true
        - {$ref: '#/components/parameters/Limit'}
      responses:
        '200':
          description: The jobs.
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Job'}}
        '400': {$ref: '#/components/responses/Problem'}
        '401': {$ref: '#/components/responses/Problem'}
  /v1/jobs/{id}:
    get:
      operationId: showJob
      summary: One job (role read).
      parameters: [{$ref: '#/components/parameters/JobID'}]
      responses:
        '200':
          description: The job.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Job'}
        '401': {$ref: '#/components/responses/Problem'}
        '404': {$ref: '#/components/responses/Problem'}
  /v1/jobs/{id}/cancel:
    post:
      operationId: cancelJob
      summary: Cancel a job (role submit); a running one is asked to stop.
      parameters: [{$ref: '#/components/parameters/JobID'}]
      responses:
        '200':
          description: The job after the cancel.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Job'}
        '401': {$ref: '#/components/responses/Problem'}
        '403': {$ref: '#/components/responses/Problem'}
        '404': {$ref: '#/components/responses/Problem'}
        '409': {$ref: '#/components/responses/Problem'}
  /v1/jobs/{id}/retry:
    post:
      operationId: retryJob
      summary: Queue a failed or cancelled job again (role submit).
      parameters: [{$ref: '#/components/parameters/JobID'}]
      responses:
        '200':
          description: The job, queued again.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Job'}
        '401': {$ref: '#/components/responses/Problem'}
        '403': {$ref: '#/components/responses/Problem'}
        '404': {$ref: '#/components/responses/Problem'}
        '409': {$ref: '#/components/responses/Problem'}
  /v1/plans:
    get:
      operationId: listPlans
      summary: Stored plans, newest first (role read), as `capplan plans list`.
      parameters:
        - {name: schedule, in: query, description: A schedule's name or id., schema: {type: string, minLength: 1}}
        - {name: scenario, in: query, description: A scenario id., schema: {type: string, minLength: 1}}
        - {name: status, in: query, description: 'optimal, infeasible, ...', schema: {type: string, minLength: 1}}
        - {name: since, in: query, description: 'YYYY-MM-DD (UTC) or ISO 8601.', schema: {type: string, minLength: 1}}
        - {$ref: '#/components/parameters/Limit'}
      responses:
        '200':
          description: The plans' summaries.
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/PlanSummary'}}
        '400': {$ref: '#/components/responses/Problem'}
        '401': {$ref: '#/components/responses/Problem'}
  /v1/plans/compare:
    get:
      operationId: comparePlans
      summary: Two to twenty plans side by side (role read), as `capplan plans compare`; html is the comparison report.
      parameters:
        - name: ids
          in: query
          required: true
          description: Plan ids, comma-separated or repeated.
          schema: {type: array, items: {type: integer, minimum: 1}, minItems: 2, maxItems: 20}
          style: form
          explode: false
        - {name: format, in: query, schema: {type: string, enum: [json, table, csv, markdown, html]}}
        - {name: only_differences, in: query, schema: {type: boolean}}
      responses:
        '200':
          description: The comparison.
          content:
            application/json: {schema: {type: object}}
            text/plain: {schema: {type: string}}
            text/csv: {schema: {type: string}}
            text/markdown: {schema: {type: string}}
            text/html: {schema: {type: string}}
        '400': {$ref: '#/components/responses/Problem'}
        '401': {$ref: '#/components/responses/Problem'}
        '404': {$ref: '#/components/responses/Problem'}
  /v1/plans/{id}:
    get:
      operationId: showPlan
      summary: A stored plan, whole (role read), as `capplan plans show --format json`.
      parameters: [{$ref: '#/components/parameters/PlanID'}]
      responses:
        '200':
          description: The plan.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Plan'}
        '401': {$ref: '#/components/responses/Problem'}
        '404': {$ref: '#/components/responses/Problem'}
  /v1/plans/{id}/diff/{other}:
    get:
      operationId: diffPlans
      summary: What changed from plan id to plan other (role read), as `capplan plans diff`.
      parameters:
        - {$ref: '#/components/parameters/PlanID'}
        - {name: other, in: path, required: true, schema: {type: integer, minimum: 1}}
        - {name: format, in: query, schema: {type: string, enum: [json, text, markdown]}}
        - {name: top, in: query, description: Single allocation changes to list (0 all)., schema: {type: integer, minimum: 0}}
      responses:
        '200':
          description: The diff.
          content:
            application/json: {schema: {type: object}}
            text/plain: {schema: {type: string}}
            text/markdown: {schema: {type: string}}
        '400': {$ref: '#/components/responses/Problem'}
        '401': {$ref: '#/components/responses/Problem'}
        '404': {$ref: '#/components/responses/Problem'}
  /v1/plans/{id}/export:
    get:
      operationId: exportPlan
      summary: A plan's tables (role read), as `capplan plans export`.
      description: csv is a zip of plan.json and one CSV per table; json one object with a key per table; markdown every table in one document; xlsx a workbook.
      parameters:
        - {$ref: '#/components/parameters/PlanID'}
        - {name: format, in: query, schema: {type: string, enum: [csv, json, markdown, xlsx]}}
      responses:
        '200':
          description: The export.
          content:
            application/zip: {schema: {type: string, contentEncoding: binary}}
            application/json: {schema: {type: object}}
            text/markdown: {schema: {type: string}}
            application/vnd.openxmlformats-officedocument.spreadsheetml.sheet: {schema: {type: string, contentEncoding: binary}}
        '400': {$ref: '#/components/responses/Problem'}
        '401': {$ref: '#/components/responses/Problem'}
        '404': {$ref: '#/components/responses/Problem'}
  /v1/plans/{id}/report:
    get:
      operationId: reportPlan
      summary: The plan's HTML report (role read), as `capplan plans report`.
      parameters:
        - {$ref: '#/components/parameters/PlanID'}
        - {name: compare, in: query, description: Also show what changed since this plan., schema: {type: integer, minimum: 1}}
      responses:
        '200':
          description: A self-contained HTML page.
          content:
            text/html: {schema: {type: string}}
        '400': {$ref: '#/components/responses/Problem'}
        '401': {$ref: '#/components/responses/Problem'}
        '404': {$ref: '#/components/responses/Problem'}
  /v1/schedules:
    get:
      operationId: listSchedules
      summary: Every schedule (role read).
      responses:
        '200':
          description: The schedules.
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Schedule'}}
        '401': {$ref: '#/components/responses/Problem'}
    post:
      operationId: addSchedule
      summary: Add a schedule (role admin), as `capplan schedule add`.
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/ScheduleAddition'}
      responses:
        '201':
          description: Added.
          headers:
            Location: {schema: {type: string}}
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Schedule'}
        '400': {$ref: '#/components/responses/Problem'}
        '401': {$ref: '#/components/responses/Problem'}
        '403': {$ref: '#/components/responses/Problem'}
        '409': {$ref: '#/components/responses/Problem'}
        '413': {$ref: '#/components/responses/Problem'}
  /v1/schedules/{name}:
    get:
      operationId: showSchedule
      summary: One schedule (role read).
      parameters: [{$ref: '#/components/parameters/ScheduleName'}]
      responses:
        '200':
          description: The schedule.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Schedule'}
        '401': {$ref: '#/components/responses/Problem'}
        '404': {$ref: '#/components/responses/Problem'}
    delete:
      operationId: removeSchedule
      summary: Delete a schedule; its jobs and plans stay (role admin).
      parameters: [{$ref: '#/components/parameters/ScheduleName'}]
      responses:
        '204': {description: Removed.}
        '401': {$ref: '#/components/responses/Problem'}
        '403': {$ref: '#/components/responses/Problem'}
        '404': {$ref: '#/components/responses/Problem'}
  /v1/schedules/{name}/pause:
    post:
      operationId: pauseSchedule
      summary: Stop firing a schedule (role admin).
      parameters: [{$ref: '#/components/parameters/ScheduleName'}]
      responses:
        '200':
          description: The schedule, paused.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Schedule'}
        '401': {$ref: '#/components/responses/Problem'}
        '403': {$ref: '#/components/responses/Problem'}
        '404': {$ref: '#/components/responses/Problem'}
  /v1/schedules/{name}/resume:
    post:
      operationId: resumeSchedule
      summary: Fire a paused schedule again, from its next time after now (role admin).
      parameters: [{$ref: '#/components/parameters/ScheduleName'}]
      responses:
        '200':
          description: The schedule, active.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Schedule'}
        '401': {$ref: '#/components/responses/Problem'}
        '403': {$ref: '#/components/responses/Problem'}
        '404': {$ref: '#/components/responses/Problem'}
  /v1/schedules/{name}/run:
    post:
      operationId: runSchedule
      summary: Fire a schedule now, outside its cadence (role admin), as `capplan schedule run-now`.
      parameters: [{$ref: '#/components/parameters/ScheduleName'}]
      responses:
        '200':
          description: The job queued, or why none was.
          content:
            application/json:
              schema:
                type: object
                required: [schedule]
                properties:
                  schedule: {type: string}
                  job_id: {type: integer}
                  note: {type: string}
        '401': {$ref: '#/components/responses/Problem'}
        '403': {$ref: '#/components/responses/Problem'}
        '404': {$ref: '#/components/responses/Problem'}
components:
  securitySchemes:
    bearer:
      type: http
      scheme: bearer
      description: A secret from `capplan tokens create` (cpl_...).
  parameters:
    Limit:
      name: limit
      in: query
      description: At most this many (default 50).
      schema: {type: integer, minimum: 1, maximum: 1000}
    JobID:
      name: id
      in: path
      required: true
      schema: {type: integer, minimum: 1}
    PlanID:
      name: id
      in: path
      required: true
      schema: {type: integer, minimum: 1}
    ScheduleName:
      name: name
      in: path
      required: true
      schema: {type: string}
  responses:
    Problem:
      description: An error (RFC 9457), with the message the CLI prints for the same failure.
      content:
        application/problem+json:
          schema: {$ref: '#/components/schemas/Problem'}
  schemas:
    Status:
      type: object
      required: [status]
      properties:
        status: {type: string}
    Problem:
      type: object
      required: [type, title, status, detail]
      properties:
        type: {type: string}
        title: {type: string}
        status: {type: integer}
        detail: {type: string}
        errors:
          description: For an invalid scenario, every issue with its field path and line.
          type: array
          items:
            type: object
            required: [path, message]
            properties:
              path: {type: string}
              line: {type: integer}
              message: {type: string}
    Job:
      type: object
      required: [id, state, scenario_id, source, scenario_sha256, options, priority, attempt, failures, max_attempts, run_after, cancel_requested, created_at]
      properties:
        id: {type: integer}
        state: {type: string, enum: [queued, running, succeeded, failed, cancelled]}
        scenario_id: {type: string}
        source: {type: string}
        scenario_sha256: {type: string}
        options: {type: object, description: The solve settings that differ from the defaults.}
        priority: {type: integer}
        idempotency_key: {type: string}
        attempt: {type: integer}
        failures: {type: integer}
        max_attempts: {type: integer}
        run_after: {type: string, format: date-time}
        lease_owner: {type: string}
        lease_expires_at: {type: string, format: date-time}
        cancel_requested: {type: boolean}
        last_error: {type: string}
        plan_id: {type: integer}
        schedule_id: {type: integer}
        created_at: {type: string, format: date-time}
        started_at: {type: string, format: date-time}
        finished_at: {type: string, format: date-time}
        progress: {type: object, description: The running solve's latest report.}
    PlanSummary:
      type: object
      required: [id, job_id, attempt, scenario_id, scenario_sha256, status, solve_seconds, created_at]
      properties:
        id: {type: integer}
        job_id: {type: integer}
        attempt: {type: integer}
        scenario_id: {type: string}
        scenario_sha256: {type: string}
        status: {type: string}
        objective: {type: [number, string]}
        ebit: {type: [number, string]}
        revenue: {type: [number, string]}
        ebit_margin: {type: [number, string]}
        solve_seconds: {type: number}
        previous_plan_id: {type: integer}
        schedule_id: {type: integer}
        created_at: {type: string, format: date-time}
    Plan:
      type: object
      description: The stored plan as `capplan solve --format json` writes it.
      required: [scenario, status]
      properties:
        scenario: {type: string}
        status: {type: string}
    Schedule:
      type: object
      required: [id, name, scenario_path, time_zone, options, skip_unchanged, paused, next_fire_at, created_at]
      properties:
        id: {type: integer}
        name: {type: string}
        scenario_path: {type: string}
        override_paths: {type: array, items: {type: string}}
        case: {type: string}
        cron: {type: string}
        interval_seconds: {type: number}
        time_zone: {type: string}
        options: {type: object}
        skip_unchanged: {type: boolean}
        paused: {type: boolean}
        next_fire_at: {type: string, format: date-time}
        last_fired_at: {type: string, format: date-time}
        last_note: {type: string}
        created_at: {type: string, format: date-time}
    ScheduleAddition:
      type: object
      required: [name, scenario_path]
      description: Give exactly one of cron and every.
      properties:
        name: {type: string, description: 'Letters, digits, -, _ or .'}
        scenario_path: {type: string, description: A scenario file on the server's machine, read at each fire.}
        cron: {type: string, description: 'Five-field cron, e.g. 0 6 * * MON, or @daily.'}
        every: {type: string, description: 'An interval: 30s, 15m, 6h, 1d, 1h30m.'}
        time_zone: {type: string, description: IANA name of the cron's time zone (default UTC).}
        skip_unchanged: {type: boolean}
        case: {type: string}
        overrides: {type: array, items: {type: string}}
        time_limit: {type: number, minimum: 0.001, maximum: 31536000}
        gap: {type: number, minimum: 0, maximum: 1000000}
        method: {type: string, enum: [primal, dual, dualp, interior, interior-crossover, race]}
        rounding: {type: boolean, description: 'MIPs: round the LP relaxation for a first plan (default true).'}
        feasibility_pump: {type: boolean, description: 'MIPs: also run GLPK''s feasibility pump (default false).'}
        proximity_search: {type: number, minimum: 0.001, maximum: 31536000, description: 'MIPs: seconds of GLPK''s proximity search.'}
        objective: {type: string, enum: [ebit, npv]}

"""#
}

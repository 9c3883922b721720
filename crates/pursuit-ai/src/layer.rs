//! The layer: a task goes down its kind's provider chain — skipping providers a flag turns
//! off, the budget rules out or whose circuit is open — each tried with retries inside one
//! deadline, its answer checked against the task's schema and repaired once, and ends at the
//! local engine, which always answers. Every HTTP call and the local answer are recorded as
//! [`Attempt`]s for the call log.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use pursuit_text::dates::YearMonth;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::remote::{CallError, Completion, Failure, Prompt, ProviderKind, ProviderSettings};
use crate::schema::{read_json, validate};
use crate::task::{Request, Task, TaskKind};

/// The name the local engine goes by in chains, the call log and answers.
pub const LOCAL: &str = "local";
/// The local engine's "model", bumped with [`Task::version`].
pub const LOCAL_MODEL: &str = "pursuit-local-1";

/// The provider chain of each task kind: provider names, tried in order; the local
/// engine ends every chain whether it is named or not.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Routes {
    pub parse: Vec<String>,
    pub write: Vec<String>,
    pub classify: Vec<String>,
    pub summarise: Vec<String>,
}

impl Routes {
    pub fn chain(&self, kind: TaskKind) -> &[String] {
        match kind {
            TaskKind::Parse => &self.parse,
            TaskKind::Write => &self.write,
            TaskKind::Classify => &self.classify,
            TaskKind::Summarise => &self.summarise,
        }
    }
}

fn default_breaker_failures() -> u32 {
    3
}
fn default_breaker_secs() -> u64 {
    30
}

/// `[ai]` in the config.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct AiSettings {
    /// Local engine only, whatever the chains say.
    pub offline: bool,
    pub providers: BTreeMap<String, ProviderSettings>,
    pub tasks: Routes,
    /// Failures in a row that open a provider's circuit…
    #[serde(default = "default_breaker_failures")]
    pub breaker_failures: u32,
    /// …and how long it stays open before one trial call.
    #[serde(default = "default_breaker_secs")]
    pub breaker_secs: u64,
    /// A user's monthly budget for paid calls in US dollars, until they set their own
    /// (none: no limit).
    pub monthly_budget_usd: Option<f64>,
    /// Let users' own providers (entered in the settings page) be on this machine or its
    /// private network, over plain http too: for a single-user install with Ollama beside
    /// it. Off: public https servers only. Cloud metadata addresses are refused either way.
    pub user_providers_private: bool,
}

impl Default for AiSettings {
    fn default() -> AiSettings {
        AiSettings {
            offline: false,
            providers: BTreeMap::new(),
            tasks: Routes::default(),
            breaker_failures: default_breaker_failures(),
            breaker_secs: default_breaker_secs(),
            monthly_budget_usd: None,
            user_providers_private: false,
        }
    }
}

impl AiSettings {
    /// Where users' own providers may be.
    pub fn address_policy(&self) -> crate::guarded::Policy {
        crate::guarded::Policy {
            allow_private: self.user_providers_private,
        }
    }

    /// Every mistake in the section, each naming its key.
    pub fn check(&self) -> Result<(), String> {
        let mut problems = Vec::new();
        for (name, provider) in &self.providers {
            if name == LOCAL {
                problems
                    .push("ai.providers.local: \"local\" is the built-in engine's name".to_owned());
            }
            if let Err(e) = provider.check() {
                problems.push(format!("ai.providers.{name}: {e}"));
            }
        }
        for kind in TaskKind::ALL {
            for name in self.tasks.chain(kind) {
                if name != LOCAL && !self.providers.contains_key(name) {
                    problems.push(format!(
                        "ai.tasks.{}: no provider named {name:?} in [ai.providers]",
                        kind.as_str()
                    ));
                }
            }
        }
        if self
            .monthly_budget_usd
            .is_some_and(|b| b.is_nan() || b < 0.0)
        {
            problems.push("ai.monthly_budget_usd must be 0 or more".to_owned());
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("; "))
        }
    }
}

/// What the caller knows about this request's user and moment.
#[derive(Clone, Debug)]
pub struct Context {
    pub today: YearMonth,
    /// Money left this month for paid calls (none: no limit).
    pub budget_left_usd: Option<f64>,
    /// The user's own offline switch.
    pub offline: bool,
    /// Providers the user's (or the config's) flags turn off.
    pub disabled: Vec<String>,
    /// Keep prompts and answers in the attempts (the user's "full logging").
    pub full_logging: bool,
    /// The user's own providers, asked before the instance's chain for the task kinds
    /// each is used for.
    pub own: Vec<OwnProvider>,
}

/// A provider a user entered in the settings page (their URL, model and key).
#[derive(Clone, Debug)]
pub struct OwnProvider {
    pub name: String,
    pub settings: ProviderSettings,
    /// The task kinds it answers, in the user's order of providers.
    pub used_for: Vec<TaskKind>,
    /// Why it cannot be called (its stored key cannot be read), if so.
    pub unusable: Option<String>,
    /// Its circuit breaker: unique across users (two users' providers of one name are
    /// different servers).
    pub breaker: String,
}

/// How one attempt ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// A valid answer at the first try.
    Ok,
    /// A valid answer after the repair request.
    Repaired,
    /// An answer that broke the schema (the next try is the repair or the next provider).
    Invalid,
    Failed(Failure),
    SkippedBudget,
    SkippedCircuit,
    SkippedFlag,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Repaired => "repaired",
            Outcome::Invalid => "invalid",
            Outcome::Failed(f) => f.as_str(),
            Outcome::SkippedBudget => "skipped_budget",
            Outcome::SkippedCircuit => "skipped_circuit",
            Outcome::SkippedFlag => "skipped_flag",
        }
    }
}

/// One entry of the call log: an HTTP call to a provider, a provider passed over, or the
/// local engine's answer.
#[derive(Clone, Debug)]
pub struct Attempt {
    pub provider: String,
    pub model: String,
    pub tokens_in: u64,
    pub tokens_out: u64,
    pub cost_usd: f64,
    pub latency: Duration,
    pub outcome: Outcome,
    /// Why it failed or was passed over (never a key; no personal data).
    pub detail: String,
    /// SHA-256 of the prompt (system and user message).
    pub prompt_hash: String,
    /// The prompt and the raw answer, only with full logging.
    pub prompt: Option<String>,
    pub response: Option<String>,
}

impl Attempt {
    /// An attempt with nothing counted yet.
    fn new(provider: &str, model: &str, outcome: Outcome, detail: &str) -> Attempt {
        Attempt {
            provider: provider.to_owned(),
            model: model.to_owned(),
            tokens_in: 0,
            tokens_out: 0,
            cost_usd: 0.0,
            latency: Duration::ZERO,
            outcome,
            detail: detail.to_owned(),
            prompt_hash: String::new(),
            prompt: None,
            response: None,
        }
    }
}

/// The layer's answer to a request.
#[derive(Clone, Debug)]
pub struct Answer {
    /// Fits the task's schema.
    pub value: Value,
    /// Who answered: a provider's name or [`LOCAL`].
    pub provider: String,
    pub model: String,
    pub repaired: bool,
    pub attempts: Vec<Attempt>,
}

impl Answer {
    /// The providers passed over or failed before the one that answered, with why.
    pub fn fallbacks(&self) -> Vec<String> {
        self.attempts
            .iter()
            .filter(|a| a.provider != self.provider)
            .map(|a| format!("{}: {}", a.provider, a.outcome.as_str()))
            .collect()
    }
}

struct Breaker {
    failures: u32,
    open_until: Option<Instant>,
}

/// A configured provider, ready to call.
struct Provider {
    settings: ProviderSettings,
    client: reqwest::Client,
}

/// A provider of a chain, the instance's or the user's own.
#[derive(Clone, Copy)]
struct Candidate<'a> {
    name: &'a str,
    settings: &'a ProviderSettings,
    client: &'a reqwest::Client,
    breaker: &'a str,
    /// A user's own provider: its URL is checked against the address policy.
    own: bool,
    unusable: Option<&'a str>,
}

/// The AI layer: built once from [`AiSettings`], shared by every request and job.
pub struct Ai {
    settings: AiSettings,
    providers: HashMap<String, Provider>,
    /// The client users' own providers are called through ([`crate::guarded`]).
    guarded: reqwest::Client,
    breakers: Mutex<HashMap<String, Breaker>>,
}

impl std::fmt::Debug for Ai {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ai")
            .field(
                "providers",
                &self.settings.providers.keys().collect::<Vec<_>>(),
            )
            .field("offline", &self.settings.offline)
            .finish()
    }
}

/// What the settings page shows of a provider (no key).
#[derive(Clone, Debug, serde::Serialize)]
pub struct ProviderInfo {
    pub name: String,
    pub kind: &'static str,
    pub server: String,
    pub model: String,
    pub has_key: bool,
    pub paid: bool,
    pub stream: bool,
    /// `closed`, or `open` while the circuit breaker holds calls back.
    pub circuit: &'static str,
    /// The task kinds whose chain names it.
    pub used_for: Vec<&'static str>,
}

impl Ai {
    pub fn new(settings: AiSettings) -> Result<Ai, String> {
        settings.check()?;
        // The process's one TLS provider (ring); a no-op once the binary has installed it.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut providers = HashMap::new();
        for (name, provider) in &settings.providers {
            let client = reqwest::Client::builder()
                .connect_timeout(Duration::from_secs(10))
                .user_agent(concat!("Pursuit/", env!("CARGO_PKG_VERSION")))
                .build()
                .map_err(|e| format!("ai.providers.{name}: {e}"))?;
            providers.insert(
                name.clone(),
                Provider {
                    settings: provider.clone(),
                    client,
                },
            );
        }
        let guarded = crate::guarded::client(settings.address_policy())
            .map_err(|e| format!("ai: the client for users' providers: {e}"))?;
        Ok(Ai {
            settings,
            providers,
            guarded,
            breakers: Mutex::new(HashMap::new()),
        })
    }

    /// Local engine only (tests, `offline` installs).
    pub fn local_only() -> Ai {
        #[allow(clippy::expect_used)]
        Ai::new(AiSettings::default()).expect("the default settings are valid")
    }

    pub fn settings(&self) -> &AiSettings {
        &self.settings
    }

    pub fn providers(&self) -> Vec<ProviderInfo> {
        let now = Instant::now();
        let breakers = self.breakers.lock().unwrap_or_else(|e| e.into_inner());
        self.settings
            .providers
            .iter()
            .map(|(name, p)| ProviderInfo {
                name: name.clone(),
                kind: p.kind.as_str(),
                server: p.server(),
                model: p.model.clone(),
                has_key: p.api_key.is_some(),
                paid: p.paid(),
                stream: p.stream,
                circuit: match breakers.get(name).and_then(|b| b.open_until) {
                    Some(until) if until > now => "open",
                    _ => "closed",
                },
                used_for: TaskKind::ALL
                    .into_iter()
                    .filter(|k| self.settings.tasks.chain(*k).contains(name))
                    .map(TaskKind::as_str)
                    .collect(),
            })
            .collect()
    }

    /// What a kept answer to `request` depends on besides its inputs: the providers of its
    /// task's chain and their models. Changing either makes kept answers stale.
    pub fn cache_key(&self, request: &Request, context: &Context) -> String {
        let mut parts = vec![request.digest()];
        for candidate in self.chain(request.task.kind(), context) {
            parts.push(format!(
                "{}={}@{}",
                candidate.name,
                candidate.settings.model,
                candidate.settings.server()
            ));
        }
        let bytes: Vec<&[u8]> = parts.iter().map(String::as_bytes).collect();
        crate::hex_digest(&bytes)
    }

    /// The providers a task of `kind` goes to before the local engine: the user's own
    /// that answer it, then the instance's chain (up to `local`, if it is named).
    fn chain<'a>(&'a self, kind: TaskKind, context: &'a Context) -> Vec<Candidate<'a>> {
        let own = context
            .own
            .iter()
            .filter(|p| p.used_for.contains(&kind))
            .map(|p| Candidate {
                name: &p.name,
                settings: &p.settings,
                client: &self.guarded,
                breaker: &p.breaker,
                own: true,
                unusable: p.unusable.as_deref(),
            });
        let configured = self
            .settings
            .tasks
            .chain(kind)
            .iter()
            .take_while(|name| name.as_str() != LOCAL)
            .filter_map(|name| self.configured(name));
        own.chain(configured).collect()
    }

    fn configured<'a>(&'a self, name: &'a str) -> Option<Candidate<'a>> {
        self.providers.get(name).map(|p| Candidate {
            name,
            settings: &p.settings,
            client: &p.client,
            breaker: name,
            own: false,
            unusable: None,
        })
    }

    /// Whether a task of `kind` would be sent to a model before the local engine answers:
    /// not offline, and a provider in its chain that is neither turned off nor unusable.
    pub fn asks_a_model(&self, kind: TaskKind, context: &Context) -> bool {
        !(self.settings.offline || context.offline)
            && self
                .chain(kind, context)
                .iter()
                .any(|c| c.unusable.is_none() && !context.disabled.iter().any(|d| d == c.name))
    }

    /// Answers `request`: never fails, never waits longer than the chain's deadlines.
    pub async fn run(&self, request: &Request, context: &Context) -> Answer {
        let mut attempts = Vec::new();
        let mut spent = 0.0;
        if !(self.settings.offline || context.offline) {
            for candidate in self.chain(request.task.kind(), context) {
                let name = candidate.name;
                let skip = |outcome: Outcome, detail: &str| {
                    Attempt::new(name, &candidate.settings.model, outcome, detail)
                };
                if context.disabled.iter().any(|d| d == name) {
                    attempts.push(skip(Outcome::SkippedFlag, "turned off by a feature flag"));
                    continue;
                }
                if let Some(why) = candidate.unusable {
                    attempts.push(skip(Outcome::Failed(Failure::Refused), why));
                    continue;
                }
                if candidate.settings.paid()
                    && context
                        .budget_left_usd
                        .is_some_and(|left| left - spent <= 0.0)
                {
                    attempts.push(skip(
                        Outcome::SkippedBudget,
                        "this month's AI budget is spent",
                    ));
                    continue;
                }
                if self.circuit_open(candidate.breaker) {
                    attempts.push(skip(
                        Outcome::SkippedCircuit,
                        "recent calls failed; waiting before the next try",
                    ));
                    continue;
                }
                let (value, mut tries) = self.ask(candidate, request, context).await;
                spent += tries.iter().map(|a| a.cost_usd).sum::<f64>();
                let model = tries
                    .last()
                    .map_or_else(|| candidate.settings.model.clone(), |a| a.model.clone());
                let repaired = tries.last().is_some_and(|a| a.outcome == Outcome::Repaired);
                attempts.append(&mut tries);
                self.record(candidate.breaker, value.is_some());
                if let Some(value) = value {
                    return Answer {
                        value,
                        provider: name.to_owned(),
                        model,
                        repaired,
                        attempts,
                    };
                }
            }
        }
        let started = Instant::now();
        let value = crate::local::answer(request, context.today);
        attempts.push(Attempt {
            latency: started.elapsed(),
            prompt_hash: request.digest(),
            ..Attempt::new(LOCAL, LOCAL_MODEL, Outcome::Ok, "")
        });
        Answer {
            value,
            provider: LOCAL.to_owned(),
            model: LOCAL_MODEL.to_owned(),
            repaired: false,
            attempts,
        }
    }

    /// The settings page's "test connection": one small spam check sent to this provider
    /// alone (its retries and repair included; no fallback), the user's own provider of
    /// that name first. `None`: no such provider.
    pub async fn probe(&self, name: &str, context: &Context) -> Option<(bool, Vec<Attempt>)> {
        let candidate = match context.own.iter().find(|p| p.name == name) {
            Some(p) => Candidate {
                name: &p.name,
                settings: &p.settings,
                client: &self.guarded,
                breaker: &p.breaker,
                own: true,
                unusable: p.unusable.as_deref(),
            },
            None => self.configured(name)?,
        };
        if let Some(why) = candidate.unusable {
            let attempt = Attempt::new(
                name,
                &candidate.settings.model,
                Outcome::Failed(Failure::Refused),
                why,
            );
            return Some((false, vec![attempt]));
        }
        let request = Request::new(
            Task::SpamCheck,
            vec![crate::task::Input {
                label: "email",
                text: "Hello Dana, this is a connection test from Pursuit. Best, Sam".to_owned(),
            }],
        );
        let (value, attempts) = self.ask(candidate, &request, context).await;
        self.record(candidate.breaker, value.is_some());
        Some((value.is_some(), attempts))
    }

    /// `open` while the breaker `key` (a configured provider's name, an own provider's
    /// [`OwnProvider::breaker`]) holds calls back, else `closed`.
    pub fn circuit(&self, key: &str) -> &'static str {
        if self.circuit_open(key) {
            "open"
        } else {
            "closed"
        }
    }

    fn circuit_open(&self, name: &str) -> bool {
        let breakers = self.breakers.lock().unwrap_or_else(|e| e.into_inner());
        breakers
            .get(name)
            .and_then(|b| b.open_until)
            .is_some_and(|until| until > Instant::now())
    }

    fn record(&self, name: &str, worked: bool) {
        let mut breakers = self.breakers.lock().unwrap_or_else(|e| e.into_inner());
        let breaker = breakers.entry(name.to_owned()).or_insert(Breaker {
            failures: 0,
            open_until: None,
        });
        if worked {
            breaker.failures = 0;
            breaker.open_until = None;
        } else {
            breaker.failures += 1;
            if breaker.failures >= self.settings.breaker_failures.max(1) {
                breaker.open_until =
                    Some(Instant::now() + Duration::from_secs(self.settings.breaker_secs));
            }
        }
    }

    /// One provider: the call (with retries), then one repair if the answer breaks the
    /// schema. All inside the provider's `timeout_secs`.
    async fn ask(
        &self,
        candidate: Candidate<'_>,
        request: &Request,
        context: &Context,
    ) -> (Option<Value>, Vec<Attempt>) {
        let deadline = Instant::now() + Duration::from_secs(candidate.settings.timeout_secs);
        let system = request.system_prompt();
        let user = request.user_prompt();
        let mut attempts = Vec::new();
        // A user's URL is checked each time: the operator may have narrowed the policy
        // since it was saved.
        if candidate.own
            && let Err(why) =
                crate::guarded::check_url(&candidate.settings.url, self.settings.address_policy())
        {
            let detail = format!("the URL {why}");
            attempts.push(Attempt::new(
                candidate.name,
                &candidate.settings.model,
                Outcome::Failed(Failure::Refused),
                &detail,
            ));
            return (None, attempts);
        }
        let site = CallSite {
            candidate,
            system: &system,
            task: request.task,
            deadline,
            context,
        };
        let first = self.call(&site, &user, &mut attempts).await;
        let Some(completion) = first else {
            return (None, attempts);
        };
        let errors = match check_answer(request, &completion, context.today) {
            Ok(value) => {
                finish(&mut attempts, Outcome::Ok, "");
                return (Some(value), attempts);
            }
            Err(errors) => errors,
        };
        finish(&mut attempts, Outcome::Invalid, &errors);
        // The repair: the same data, the answer it gave and what was wrong with it.
        let repair = format!(
            "{user}\nYour previous answer was:\n<answer>\n{}\n</answer>\nIt does not fit the \
             schema or the rules: {errors}\nAnswer again with one JSON object that fits them.",
            completion.text.chars().take(20_000).collect::<String>()
        );
        let second = self.call(&site, &repair, &mut attempts).await;
        let Some(completion) = second else {
            return (None, attempts);
        };
        match check_answer(request, &completion, context.today) {
            Ok(value) => {
                finish(&mut attempts, Outcome::Repaired, "");
                (Some(value), attempts)
            }
            Err(errors) => {
                finish(&mut attempts, Outcome::Invalid, &errors);
                (None, attempts)
            }
        }
    }

    /// One HTTP call, retried on 429/5xx/unreachable while time is left; each try is an
    /// attempt. The successful one is left last with outcome `Ok` for the caller to settle.
    async fn call(
        &self,
        site: &CallSite<'_>,
        user: &str,
        attempts: &mut Vec<Attempt>,
    ) -> Option<Completion> {
        let CallSite {
            candidate,
            system,
            task,
            deadline,
            context,
        } = *site;
        let name = candidate.name;
        let prompt = Prompt {
            system,
            user,
            name: task.name(),
            schema: task.schema(),
        };
        let prompt_hash = crate::hex_digest(&[system.as_bytes(), user.as_bytes()]);
        let settings = candidate.settings;
        let client = candidate.client;
        let mut tries = 0;
        loop {
            let started = Instant::now();
            let result = match settings.kind {
                ProviderKind::OpenAi => {
                    crate::openai::complete(client, settings, &prompt, deadline).await
                }
                ProviderKind::Anthropic => {
                    crate::anthropic::complete(client, settings, &prompt, deadline).await
                }
            };
            let mut attempt = Attempt {
                latency: started.elapsed(),
                prompt_hash: prompt_hash.clone(),
                prompt: context.full_logging.then(|| format!("{system}\n\n{user}")),
                ..Attempt::new(name, &settings.model, Outcome::Ok, "")
            };
            match result {
                Ok(completion) => {
                    attempt.model = completion.model.clone();
                    attempt.tokens_in = completion.tokens_in;
                    attempt.tokens_out = completion.tokens_out;
                    attempt.cost_usd = settings.cost(completion.tokens_in, completion.tokens_out);
                    attempt.response = context.full_logging.then(|| completion.text.clone());
                    attempts.push(attempt);
                    return Some(completion);
                }
                Err(CallError {
                    failure,
                    retry_after,
                    detail,
                }) => {
                    attempt.outcome = Outcome::Failed(failure);
                    attempt.detail = detail;
                    attempts.push(attempt);
                    if !failure.retryable() || tries >= settings.retries {
                        return None;
                    }
                    tries += 1;
                    let wait = retry_after
                        .unwrap_or_else(|| Duration::from_millis(250 << (tries - 1).min(6)));
                    if Instant::now() + wait >= deadline {
                        if let Some(last) = attempts.last_mut() {
                            last.detail.push_str(&format!(
                                " (asked to wait {} ms: past the deadline)",
                                wait.as_millis()
                            ));
                        }
                        return None;
                    }
                    tokio::time::sleep(wait).await;
                }
            }
        }
    }
}

/// What stays the same between a provider's first call and its repair.
#[derive(Clone, Copy)]
struct CallSite<'a> {
    candidate: Candidate<'a>,
    system: &'a str,
    task: Task,
    deadline: Instant,
    context: &'a Context,
}

/// Sets the outcome of the last (successful) call.
fn finish(attempts: &mut [Attempt], outcome: Outcome, detail: &str) {
    if let Some(last) = attempts.last_mut() {
        last.outcome = outcome;
        last.detail = detail.chars().take(300).collect();
    }
}

/// The answer's JSON if it fits the task's schema and the task's own rules, else what is
/// wrong with it (one line).
fn check_answer(
    request: &Request,
    completion: &Completion,
    today: pursuit_text::dates::YearMonth,
) -> Result<Value, String> {
    let value = read_json(&completion.text).map_err(|e| {
        if completion.truncated {
            format!("the answer was cut off at max_tokens ({e}); raise the provider's max_tokens")
        } else {
            e
        }
    })?;
    let mut errors = validate(request.task.schema(), &value);
    errors.extend(crate::rules::check(request, &value, today));
    if errors.is_empty() {
        Ok(value)
    } else {
        Err(errors.join("; "))
    }
}

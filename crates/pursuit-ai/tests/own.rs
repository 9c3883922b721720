//! A user's own providers: asked before the instance's chain for the task kinds they are
//! used for, kept to the address policy (a URL at this machine or a private network is
//! never connected to unless the operator allows it), with a breaker of their own and a
//! place in the cache key.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Fake, context, layer, openai_json, provider};
use pursuit_ai::{
    Ai, AiSettings, Context, Input, Outcome, OwnProvider, ProviderKind, Request, Task, TaskKind,
};

fn spam_request() -> Request {
    Request::new(
        Task::SpamCheck,
        vec![Input {
            label: "email",
            text: "Hello Dana, here is the report you asked for.".into(),
        }],
    )
}

fn own(name: &str, url: &str, used_for: &[TaskKind]) -> OwnProvider {
    OwnProvider {
        name: name.to_owned(),
        settings: provider(ProviderKind::OpenAi, url),
        used_for: used_for.to_vec(),
        unusable: None,
        breaker: format!("user-1/{name}"),
    }
}

fn with_own(providers: Vec<OwnProvider>) -> Context {
    Context {
        own: providers,
        ..context()
    }
}

fn private_allowed() -> Ai {
    Ai::new(AiSettings {
        user_providers_private: true,
        ..AiSettings::default()
    })
    .unwrap()
}

const ANSWER: &str = "{\"spam_score\": 0.1, \"spam_words\": []}";

#[tokio::test]
async fn an_own_provider_answers_before_the_instance_chain() {
    let (mine, my_url) = Fake::start().await;
    let (theirs, their_url) = Fake::start().await;
    mine.script([openai_json(ANSWER)]);
    let mut settings = layer(&[("instance", provider(ProviderKind::OpenAi, &their_url))])
        .settings()
        .clone();
    settings.user_providers_private = true;
    let ai = Ai::new(settings).unwrap();
    let answer = ai
        .run(
            &spam_request(),
            &with_own(vec![own("mine", &my_url, &[TaskKind::Classify])]),
        )
        .await;
    assert_eq!(answer.provider, "mine");
    assert_eq!(mine.seen().len(), 1);
    assert!(theirs.seen().is_empty());

    // Not used for this task kind: the instance's chain answers.
    theirs.script([openai_json(ANSWER)]);
    let answer = ai
        .run(
            &spam_request(),
            &with_own(vec![own("mine", &my_url, &[TaskKind::Parse])]),
        )
        .await;
    assert_eq!(answer.provider, "instance");
    assert_eq!(mine.seen().len(), 1);
}

#[tokio::test]
async fn a_private_address_is_not_connected_to_unless_the_operator_allows_it() {
    let (fake, url) = Fake::start().await;
    let public_only = Ai::local_only();
    // The fake listens on 127.0.0.1, written in the URL and as a name.
    let by_name = url.replace("127.0.0.1", "localhost");
    for url in [
        url.replace("http://", "https://"),
        by_name.replace("http://", "https://"),
    ] {
        let answer = public_only
            .run(
                &spam_request(),
                &with_own(vec![own("mine", &url, &[TaskKind::Classify])]),
            )
            .await;
        assert_eq!(answer.provider, "local", "{url}");
        let attempt = &answer.attempts[0];
        assert_eq!(attempt.outcome.as_str(), "refused", "{url}");
        assert!(attempt.detail.contains("loopback"), "{}", attempt.detail);
    }
    assert!(fake.seen().is_empty(), "a refused URL was connected to");

    fake.script([openai_json(ANSWER)]);
    let answer = private_allowed()
        .run(
            &spam_request(),
            &with_own(vec![own("mine", &by_name, &[TaskKind::Classify])]),
        )
        .await;
    assert_eq!(answer.provider, "mine");
}

#[tokio::test]
async fn plain_http_is_refused_without_the_private_switch() {
    let (fake, url) = Fake::start().await;
    let answer = Ai::local_only()
        .run(
            &spam_request(),
            &with_own(vec![own("mine", &url, &[TaskKind::Classify])]),
        )
        .await;
    assert_eq!(answer.provider, "local");
    assert_eq!(
        answer.attempts.len(),
        2,
        "the refusal, then the local engine"
    );
    assert!(
        answer.attempts[0].detail.contains("https://"),
        "{}",
        answer.attempts[0].detail
    );
    assert!(fake.seen().is_empty());
}

#[tokio::test]
async fn an_unreadable_key_is_said_and_passed_over() {
    let (fake, url) = Fake::start().await;
    let mut broken = own("mine", &url, &[TaskKind::Classify]);
    broken.unusable = Some("its key cannot be read; enter it again".to_owned());
    let answer = private_allowed()
        .run(&spam_request(), &with_own(vec![broken.clone()]))
        .await;
    assert_eq!(answer.provider, "local");
    assert_eq!(
        answer.attempts[0].detail,
        "its key cannot be read; enter it again"
    );
    let (worked, attempts) = private_allowed()
        .probe("mine", &with_own(vec![broken]))
        .await
        .unwrap();
    assert!(!worked);
    assert_eq!(attempts[0].outcome.as_str(), "refused");
    assert!(fake.seen().is_empty());
}

#[tokio::test]
async fn each_users_provider_has_its_own_breaker() {
    let (fake, url) = Fake::start().await;
    let ai = private_allowed();
    let mut failing = own("mine", &url, &[TaskKind::Classify]);
    failing.settings.retries = 0;
    // Three failures in a row open this user's circuit (the fake has nothing scripted: 500).
    for _ in 0..3 {
        ai.run(&spam_request(), &with_own(vec![failing.clone()]))
            .await;
    }
    let answer = ai
        .run(&spam_request(), &with_own(vec![failing.clone()]))
        .await;
    assert_eq!(answer.attempts[0].outcome, Outcome::SkippedCircuit);
    // Another user's provider of the same name is still asked.
    let mut other = failing.clone();
    other.breaker = "user-2/mine".to_owned();
    fake.script([openai_json(ANSWER)]);
    let answer = ai.run(&spam_request(), &with_own(vec![other])).await;
    assert_eq!(answer.provider, "mine");
}

#[test]
fn the_cache_key_changes_with_the_users_providers() {
    let ai = Ai::local_only();
    let request = spam_request();
    let none = ai.cache_key(&request, &context());
    let one = ai.cache_key(
        &request,
        &with_own(vec![own(
            "mine",
            "https://a.example",
            &[TaskKind::Classify],
        )]),
    );
    let other_kind = ai.cache_key(
        &request,
        &with_own(vec![own("mine", "https://a.example", &[TaskKind::Parse])]),
    );
    let mut other_model = own("mine", "https://a.example", &[TaskKind::Classify]);
    other_model.settings.model = "bigger".to_owned();
    let two = ai.cache_key(&request, &with_own(vec![other_model]));
    assert_ne!(none, one);
    assert_eq!(
        none, other_kind,
        "a provider not used for the task changes nothing"
    );
    assert_ne!(one, two);
}

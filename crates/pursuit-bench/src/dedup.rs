//! `pursuit-bench dedup`: whether `pursuit_text::boards::same_job` finds the same job listed
//! twice — across boards, reposted, lightly edited — and keeps different jobs apart, on a
//! labelled set of our own (written after the rule, not tuned on). Prints pairwise precision
//! and recall, and the pairs it got wrong with `--show`.

use pursuit_text::boards::{Listing, one_job};

const NORTHWIND: &str = "Northwind makes routing software for city logistics. Our planners move two million parcels a week across forty cities, and our customers range from bakeries to national carriers. We are a team of ninety people, most of us in Berlin, and we care about calm, well-documented work.";
const KAIYO: &str = "Kaiyo rents furniture to people who move often. We refurbish every piece in our own workshop, and our customers keep a sofa or a desk for as long as they need it. The company is profitable, employs seventy people and has offices in Berlin and Munich.";
const LUMEN: &str = "Lumen builds a workspace where product teams plan, write and ship together. More than four thousand teams use it every day. We are a remote-friendly company of one hundred and twenty people with a hub in Amsterdam.";
const FIELDNOTE: &str = "Fieldnote builds note-taking for teams who work outside: surveyors, inspectors and gardeners. The app works offline and syncs when the signal comes back. We are thirty people, fully remote across Europe.";
const HARBOR: &str = "Harbor moves containers between ports and warehouses and tells shippers where their goods are at every hour. We run one of the larger data platforms in European freight.";

const ANALYST_SENIOR: &str = "As our senior data analyst you will build the dashboards our operations team runs on, model delivery data in SQL and dbt, and work with planners to find where routes lose time. You will mentor two analysts and decide with the head of data which questions we answer next. You have at least five years of analytics, write clean SQL, know one BI tool well, and explain numbers to people who do not love them.";
const ANALYST_HAMBURG: &str = "As a data analyst in Hamburg you will support our port customers with weekly reports, keep the customer health score up to date and answer ad-hoc questions from the sales team. You have two years of experience with SQL and spreadsheets and you enjoy talking to customers.";
const PRODUCT_MANAGER: &str = "As a product manager you will own the planning screen our dispatchers use every morning. You will talk to customers every week, write clear specifications, and decide with engineering what ships next. You have shipped a B2B product before and you know how to say no kindly.";
const DATA_ENGINEER: &str = "As a data engineer you will run the pipelines that bring tracking events into our warehouse, keep them fast and correct, and give analysts tables they can trust. We use Python, Airflow, dbt and PostgreSQL. You have three years of data engineering and you like on-call rotations that rarely ring.";
const ANALYTICS_ENGINEER: &str = "As an analytics engineer you will own our metrics layer in dbt, model rentals, returns and refurbishment, and make sure finance and operations read the same numbers. You will review every model change and write the docs people actually read. You have production experience with dbt and SQL, and ideally with Looker.";
const PRODUCT_ANALYST: &str = "As a product analyst you will help us understand how teams use Lumen: define the growth metrics, design experiments with product managers, and tell the story behind the numbers in a weekly note. You are fluent in SQL, comfortable with statistics and curious about why people do what they do.";
const DATA_SCIENTIST: &str = "As a staff data scientist you will forecast demand and capacity, build the models that price our plans, and set the bar for how we do experiments. You will work across three product teams. You have shipped models to production and you can explain a confidence interval to a designer.";
const FIELD_ANALYST: &str = "As a data analyst you will write SQL all day, keep our customer metrics honest, and build the reports our customer success team shares with the largest accounts. You know SQL well, have used a BI tool such as Metabase or Looker, and write clearly.";
const FIELD_ANALYST_SENIOR: &str = "As a senior data analyst you will set up our analytics from the ground: choose the warehouse, design the event tracking with engineering, and hire the next two analysts. You have led analytics at a startup before, know dbt and at least one cloud warehouse, and like building things that last.";
const HARBOR_SENIOR: &str = "As a senior data engineer you will own our Spark jobs, move the batch pipelines to streaming where it pays, and keep the data platform reliable for forty internal users. You have five years of data engineering, strong Scala or Python, and experience with Kafka.";
const HARBOR_JUNIOR: &str = "As a data engineer in your first or second job you will learn our platform from the inside: fix pipeline alerts with a mentor, write tests for our transformations and document the tables you touch. You know Python and SQL and want to grow into streaming.";
const GENERIC_ANALYST_A: &str = "Orbit Insurance is looking for a data analyst in Berlin to report on claims, build a fraud dashboard and work with actuaries. You know SQL and Excel and ideally Python.";
const GENERIC_ANALYST_B: &str = "Pine Health is hiring a data analyst in Berlin to report on patient bookings, build dashboards for clinics and help the product team measure features. SQL and a BI tool are a must.";
const QUARRY_BI: &str = "Quarry is a small finance team that needs reports in Power BI, twenty hours a week. You will build and maintain our monthly reporting and help the controller answer questions quickly. You know Power BI, DAX and Excel.";
const ORCHARD_OLD: &str = "Orchard puts sensors in fruit orchards. As our data analyst you will make sense of orchard sensor data, build reports for farmers and help agronomists test ideas. You know SQL and Python.";
const ORCHARD_NEW: &str = "At Orchard we help growers see their trees. We are looking again for a data analyst: you will turn soil and weather readings into advice growers can use, and keep our reporting tidy. SQL, Python and a love of the outdoors.";
const BOARD_FOOTER: &str =
    "Found this job on JobHub? Mention JobHub when you apply. Listed on JobHub on 2 December.";

struct Labelled {
    group: usize,
    listing: Listing,
}

#[allow(clippy::too_many_arguments)]
fn l(
    group: usize,
    source: &'static str,
    url: &str,
    company: &str,
    title: &str,
    location: Option<&str>,
    description: String,
) -> Labelled {
    Labelled {
        group,
        listing: Listing {
            source,
            source_id: url.to_owned(),
            url: url.to_owned(),
            title: title.to_owned(),
            company: company.to_owned(),
            location: location.map(str::to_owned),
            // The remote boards' adapters mark every job remote.
            remote: matches!(
                source,
                "remotive" | "remoteok" | "weworkremotely" | "himalayas"
            )
            .then_some("remote"),
            employment_type: None,
            description,
            posted_at: None,
        },
    }
}

fn join(parts: &[&str]) -> String {
    parts.join("\n\n")
}

/// The labelled set: listings with the group of the job they are (same group = same job).
fn set() -> Vec<Labelled> {
    vec![
        // 1: one job on its board, on the company's page with tracking, on an aggregator.
        l(
            1,
            "greenhouse",
            "https://boards.greenhouse.io/northwind/jobs/4012001",
            "Northwind",
            "Senior Data Analyst",
            Some("Berlin, Germany"),
            join(&[NORTHWIND, ANALYST_SENIOR]),
        ),
        l(
            1,
            "page",
            "https://northwind.example/careers/senior-data-analyst?utm_source=linkedin&gh_src=3",
            "Northwind GmbH",
            "Sr. Data Analyst (m/f/d)",
            Some("Berlin"),
            join(&[NORTHWIND, ANALYST_SENIOR]),
        ),
        l(
            1,
            "rss",
            "https://jobhub.example/jobs/991823",
            "Northwind",
            "Senior Data Analyst",
            Some("Berlin, DE"),
            join(&[NORTHWIND, ANALYST_SENIOR, BOARD_FOOTER]),
        ),
        // 2: remote on two boards, the place written two ways.
        l(
            2,
            "greenhouse",
            "https://boards.greenhouse.io/northwind/jobs/4012002",
            "Northwind",
            "Data Engineer",
            Some("Remote - Europe"),
            join(&[NORTHWIND, DATA_ENGINEER]),
        ),
        l(
            2,
            "remotive",
            "https://remotive.com/remote-jobs/data/data-engineer-1904001",
            "Northwind",
            "Data Engineer",
            Some("Europe"),
            join(&[NORTHWIND, DATA_ENGINEER, BOARD_FOOTER]),
        ),
        // 3, 4: other jobs of the same company (its boilerplate shared).
        l(
            3,
            "greenhouse",
            "https://boards.greenhouse.io/northwind/jobs/4012003",
            "Northwind",
            "Data Analyst",
            Some("Hamburg, Germany"),
            join(&[NORTHWIND, ANALYST_HAMBURG]),
        ),
        l(
            4,
            "greenhouse",
            "https://boards.greenhouse.io/northwind/jobs/4012004",
            "Northwind",
            "Product Manager",
            Some("Berlin, Germany"),
            join(&[NORTHWIND, PRODUCT_MANAGER]),
        ),
        // 5: on Lever, on the company's page, and reposted weeks later with a line changed.
        l(
            5,
            "lever",
            "https://jobs.lever.co/kaiyo/5f1c2a9e-8d3b-4a7e-9c11-0b2f4e6d8a01",
            "Kaiyo",
            "Analytics Engineer",
            Some("Berlin"),
            join(&[KAIYO, ANALYTICS_ENGINEER]),
        ),
        l(
            5,
            "page",
            "https://kaiyo.example/jobs/analytics-engineer",
            "Kaiyo GmbH",
            "Analytics Engineer (all genders)",
            Some("Berlin, Germany"),
            join(&[KAIYO, ANALYTICS_ENGINEER]),
        ),
        l(
            5,
            "lever",
            "https://jobs.lever.co/kaiyo/9a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c02",
            "Kaiyo",
            "Analytics Engineer",
            Some("Berlin"),
            join(&[
                KAIYO,
                &ANALYTICS_ENGINEER
                    .replace("ideally with Looker", "ideally with Looker or Metabase"),
            ]),
        ),
        // 6: the same title in another city.
        l(
            6,
            "lever",
            "https://jobs.lever.co/kaiyo/5f1c2a9e-8d3b-4a7e-9c11-0b2f4e6d8a06",
            "Kaiyo",
            "Analytics Engineer",
            Some("Munich"),
            join(&[
                KAIYO,
                &ANALYTICS_ENGINEER
                    .replace("finance and operations", "our Munich workshop and finance"),
            ]),
        ),
        // 7: on Ashby and on the company's page.
        l(
            7,
            "ashby",
            "https://jobs.ashbyhq.com/lumen/0c2f7a1e-55aa-4c1b-9d0e-1f2a3b4c5d01",
            "Lumen",
            "Product Analyst",
            Some("Amsterdam"),
            join(&[LUMEN, PRODUCT_ANALYST]),
        ),
        l(
            7,
            "page",
            "https://lumen.example/careers/product-analyst#apply",
            "Lumen B.V.",
            "Product Analyst",
            Some("Amsterdam, Netherlands"),
            join(&[LUMEN, PRODUCT_ANALYST]),
        ),
        // 8: on Ashby and RemoteOK, "- Remote" in one title.
        l(
            8,
            "ashby",
            "https://jobs.ashbyhq.com/lumen/0c2f7a1e-55aa-4c1b-9d0e-1f2a3b4c5d03",
            "Lumen",
            "Staff Data Scientist",
            Some("Europe"),
            join(&[LUMEN, DATA_SCIENTIST]),
        ),
        l(
            8,
            "remoteok",
            "https://remoteok.com/remote-jobs/remote-staff-data-scientist-lumen-108300",
            "Lumen",
            "Staff Data Scientist - Remote",
            Some("Worldwide"),
            join(&[LUMEN, DATA_SCIENTIST, BOARD_FOOTER]),
        ),
        // 9: on Remotive and We Work Remotely, the places written differently.
        l(
            9,
            "remotive",
            "https://remotive.com/remote-jobs/data/data-analyst-1904417",
            "Fieldnote",
            "Data Analyst",
            Some("Europe, UK"),
            join(&[FIELDNOTE, FIELD_ANALYST]),
        ),
        l(
            9,
            "weworkremotely",
            "https://weworkremotely.com/remote-jobs/fieldnote-data-analyst",
            "Fieldnote",
            "Data Analyst",
            Some("Anywhere in the World"),
            join(&[FIELDNOTE, FIELD_ANALYST, BOARD_FOOTER]),
        ),
        // 10: the senior role of the same company.
        l(
            10,
            "remotive",
            "https://remotive.com/remote-jobs/data/senior-data-analyst-1904420",
            "Fieldnote",
            "Senior Data Analyst",
            Some("Europe, UK"),
            join(&[FIELDNOTE, FIELD_ANALYST_SENIOR]),
        ),
        // 11: on We Work Remotely and Greenhouse, the company written two ways.
        l(
            11,
            "weworkremotely",
            "https://weworkremotely.com/remote-jobs/harbor-co-senior-data-engineer",
            "Harbor & Co",
            "Senior Data Engineer",
            Some("Anywhere in the World"),
            join(&[HARBOR, HARBOR_SENIOR]),
        ),
        l(
            11,
            "greenhouse",
            "https://boards.greenhouse.io/harbor/jobs/77001",
            "Harbor & Co.",
            "Senior Data Engineer",
            Some("Remote"),
            join(&[HARBOR, HARBOR_SENIOR]),
        ),
        // 12: the junior role.
        l(
            12,
            "greenhouse",
            "https://boards.greenhouse.io/harbor/jobs/77002",
            "Harbor & Co.",
            "Data Engineer",
            Some("Remote"),
            join(&[HARBOR, HARBOR_JUNIOR]),
        ),
        // 13, 14: the same title and city at two companies.
        l(
            13,
            "greenhouse",
            "https://boards.greenhouse.io/orbit/jobs/5001",
            "Orbit Insurance",
            "Data Analyst",
            Some("Berlin"),
            GENERIC_ANALYST_A.to_owned(),
        ),
        l(
            14,
            "lever",
            "https://jobs.lever.co/pinehealth/aa01",
            "Pine Health",
            "Data Analyst",
            Some("Berlin"),
            GENERIC_ANALYST_B.to_owned(),
        ),
        // 15: a part-time role alone.
        l(
            15,
            "himalayas",
            "https://himalayas.app/companies/quarry/jobs/part-time-bi-developer",
            "Quarry",
            "Part-time BI Developer",
            Some("Germany, Austria"),
            QUARRY_BI.to_owned(),
        ),
        // 16: removed and posted again months later with a new description.
        l(
            16,
            "page",
            "https://orchard.example/jobs/data-analyst",
            "Orchard",
            "Data Analyst",
            Some("Lisbon, PT"),
            ORCHARD_OLD.to_owned(),
        ),
        l(
            16,
            "greenhouse",
            "https://boards.greenhouse.io/orchard/jobs/88100",
            "Orchard Lda",
            "Data Analyst",
            Some("Lisbon, Portugal"),
            ORCHARD_NEW.to_owned(),
        ),
    ]
}

const MERIDIAN: &str = "Meridian runs clinics for physiotherapy in six countries and builds its own booking software. Our engineering team is fifty people across Madrid and Lisbon.";
const MERIDIAN_BACKEND: &str = "As a backend engineer you will design the booking APIs in Go, keep PostgreSQL fast under Monday morning load and pair with our mobile team on new features. You have four years of backend work and care about tests.";
const MERIDIAN_FRONTEND: &str = "As a frontend engineer you will build the booking flow patients see, in TypeScript and React, make it accessible, and keep it fast on old phones. You have three years of frontend work and an eye for detail.";
const TALLY: &str = "Tally helps small shops keep their books. Accountants in nine countries use it daily. We are a remote team of forty.";
const TALLY_SUPPORT: &str = "As a customer support specialist you will answer shop owners by email and chat, write help articles and tell the product team what hurts. You write clearly in English and one of German, French or Dutch.";
const AGGREGATOR_NOTE: &str = "This listing was collected automatically. Visit the employer's site for the most recent version. Posted 3 days ago.";

/// A second set, written after the first run showed where the rule missed and before the
/// rule changed: it is not looked at while fixing, so its figure is the honest one.
fn held_out() -> Vec<Labelled> {
    vec![
        l(
            101,
            "greenhouse",
            "https://boards.greenhouse.io/meridian/jobs/301",
            "Meridian S.L.",
            "Backend Engineer",
            Some("Madrid, Spain"),
            join(&[MERIDIAN, MERIDIAN_BACKEND]),
        ),
        l(
            101,
            "rss",
            "https://jobhub.example/jobs/71001?ref=rss",
            "Meridian",
            "Backend Engineer (m/w/d)",
            Some("Madrid"),
            join(&[MERIDIAN, MERIDIAN_BACKEND, AGGREGATOR_NOTE]),
        ),
        l(
            101,
            "page",
            "https://meridian.example/careers/backend-engineer/",
            "MERIDIAN",
            "Backend Engineer",
            Some("Madrid, ES"),
            join(&[MERIDIAN, MERIDIAN_BACKEND]),
        ),
        l(
            102,
            "greenhouse",
            "https://boards.greenhouse.io/meridian/jobs/302",
            "Meridian S.L.",
            "Backend Engineer",
            Some("Lisbon, Portugal"),
            join(&[
                MERIDIAN,
                &MERIDIAN_BACKEND.replace(
                    "pair with our mobile team",
                    "pair with our clinic systems team",
                ),
            ]),
        ),
        l(
            103,
            "greenhouse",
            "https://boards.greenhouse.io/meridian/jobs/303",
            "Meridian S.L.",
            "Frontend Engineer",
            Some("Madrid, Spain"),
            join(&[MERIDIAN, MERIDIAN_FRONTEND]),
        ),
        l(
            104,
            "himalayas",
            "https://himalayas.app/companies/tally/jobs/customer-support-specialist",
            "Tally",
            "Customer Support Specialist",
            Some("Germany, France, Netherlands"),
            join(&[TALLY, TALLY_SUPPORT]),
        ),
        l(
            104,
            "remotive",
            "https://remotive.com/remote-jobs/customer-support/customer-support-specialist-2000101",
            "Tally Inc.",
            "Customer Support Specialist",
            Some("Europe"),
            join(&[TALLY, TALLY_SUPPORT, AGGREGATOR_NOTE]),
        ),
        l(
            105,
            "remotive",
            "https://remotive.com/remote-jobs/customer-support/support-team-lead-2000102",
            "Tally Inc.",
            "Support Team Lead",
            Some("Europe"),
            join(&[
                TALLY,
                "As our support team lead you will run a team of five specialists, set up the rota and the quality reviews, and work with product on what support hears most. You have led a support team before.",
            ]),
        ),
    ]
}

const COBALT: &str = "Cobalt Health runs scheduling software for physiotherapy practices in Germany and Austria. Eleven hundred practices book their patients with us, and we are growing a calm engineering team of thirty.";
const COBALT_BERLIN: &str = "You will build the booking API that practices and patients rely on, in Kotlin on PostgreSQL. You will own features from the first sketch to production, take part in a gentle on-call rotation, and review your colleagues' code with care. You have four years of backend work, you know SQL well, and you have run services in production. Nice to have: experience with healthcare data or with event-driven systems.";
const COBALT_BERLIN_SECOND: &str = "You will join the billing team and build the invoicing service that sends insurers their claims each night. The work is in Kotlin with a lot of careful SQL, and you will own the reconciliation jobs that catch what insurers reject. You have three years of backend work and patience for messy external formats.";
const SALTMARSH: &str = "Saltmarsh Studio designs apps for museums and theatres: ticketing, audio guides and the screens in the lobby. We are a remote studio of twenty people.";
const SALTMARSH_DESIGNER: &str = "As a product designer you will take projects from the first workshop with a client to the handover to our developers. You will run interviews with visitors, make prototypes in Figma and test them on site. You have a portfolio of shipped mobile work and you enjoy presenting to clients.";
const SALTMARSH_SENIOR: &str = "As our senior product designer you will lead two client accounts, set the design direction for each, and coach the designers who work on them. You will shape how the studio runs research. You have led design on several shipped products and you have mentored other designers.";
const BIRCHWOOD: &str = "Birchwood Bank is a small savings bank for people who want their money to stay in their town. We have thirty branches and a growing digital team in London.";
const BIRCHWOOD_ANALYST: &str = "As a data analyst you will report on deposits and savings products, build the dashboards our branch managers open every Monday, and answer questions from the product team about how customers save. You know SQL, you can build a clear dashboard, and you like to check your numbers twice.";
const BIRCHWOOD_RISK: &str = "As a risk data analyst you will monitor the credit portfolio, build the early-warning reports the risk committee reads each month, and prepare the data for regulatory returns. You know SQL and a statistics package, and you have worked with credit data before.";
const NIMBUS: &str = "Nimbus Freight books truck capacity for shippers across the Benelux. Our platform plans ten thousand loads a day.";
const NIMBUS_DEVOPS: &str = "As a senior DevOps engineer you will run our Kubernetes clusters on AWS, keep the deploy pipeline fast, and make on-call quiet. You will write Terraform, improve our observability and help developers ship safely. You have five years of operations or platform work.";
const KESTREL_AB: &str = "Kestrel makes accounting software for Swedish small businesses. As a support engineer you will answer customers' technical questions by phone and email, reproduce their problems and write clear bug reports for the developers. You speak Swedish and English.";
const KESTREL_LABS: &str = "Kestrel Labs builds drones that inspect wind turbines. As a support engineer you will help our field teams when a drone misbehaves, read the flight logs and work with hardware engineers on fixes. You like tinkering and you are happy to travel.";

/// A third set, written after set 2's results and never used to change the rule: the
/// employer's board and its copies on aggregators (one cut short, one a snippet), a second
/// opening with the same title at the same place on one board, a city apart, a repost
/// with a new id and an edited sentence, the same company's other role sharing its intro,
/// a title spelled short, and two companies that share a word.
fn held_out_more() -> Vec<Labelled> {
    let cut = |text: &str, share: f64| -> String {
        let words: Vec<&str> = text.split_whitespace().collect();
        words[..(words.len() as f64 * share) as usize].join(" ")
    };
    vec![
        l(
            201,
            "greenhouse",
            "https://boards.greenhouse.io/cobalthealth/jobs/7001",
            "Cobalt Health GmbH",
            "Backend Engineer",
            Some("Berlin, Germany"),
            join(&[COBALT, COBALT_BERLIN]),
        ),
        l(
            201,
            "serpapi",
            "https://www.linkedin.com/jobs/view/880001",
            "Cobalt Health",
            "Backend Engineer",
            Some("Berlin, Germany"),
            cut(&join(&[COBALT, COBALT_BERLIN]), 0.7),
        ),
        l(
            201,
            "adzuna",
            "https://www.adzuna.de/jobs/details/550001",
            "Cobalt Health",
            "Backend Engineer (m/w/d)",
            Some("Berlin"),
            cut(COBALT_BERLIN, 0.35),
        ),
        l(
            202,
            "greenhouse",
            "https://boards.greenhouse.io/cobalthealth/jobs/7002",
            "Cobalt Health GmbH",
            "Backend Engineer",
            Some("Munich, Germany"),
            join(&[COBALT, COBALT_BERLIN]),
        ),
        l(
            203,
            "greenhouse",
            "https://boards.greenhouse.io/cobalthealth/jobs/7003",
            "Cobalt Health GmbH",
            "Backend Engineer",
            Some("Berlin, Germany"),
            join(&[COBALT, COBALT_BERLIN_SECOND]),
        ),
        l(
            204,
            "remoteok",
            "https://remoteok.com/remote-jobs/remote-product-designer-saltmarsh-studio-330001",
            "Saltmarsh Studio",
            "Product Designer",
            None,
            join(&[SALTMARSH, SALTMARSH_DESIGNER]),
        ),
        l(
            204,
            "weworkremotely",
            "https://weworkremotely.com/remote-jobs/saltmarsh-studio-product-designer",
            "Saltmarsh Studio",
            "Product Designer",
            Some("Anywhere in the World"),
            join(&[
                SALTMARSH,
                SALTMARSH_DESIGNER,
                "Apply on our site and mention We Work Remotely.",
            ]),
        ),
        l(
            204,
            "himalayas",
            "https://himalayas.app/companies/saltmarsh-studio/jobs/product-designer",
            "Saltmarsh Studio Ltd",
            "Product Designer (Remote)",
            Some("Worldwide"),
            join(&[SALTMARSH_DESIGNER]),
        ),
        l(
            205,
            "remoteok",
            "https://remoteok.com/remote-jobs/remote-senior-product-designer-saltmarsh-studio-330002",
            "Saltmarsh Studio",
            "Senior Product Designer",
            None,
            join(&[SALTMARSH, SALTMARSH_SENIOR]),
        ),
        l(
            206,
            "lever",
            "https://jobs.lever.co/birchwood/aa11",
            "Birchwood Bank",
            "Data Analyst",
            Some("London"),
            join(&[BIRCHWOOD, BIRCHWOOD_ANALYST]),
        ),
        l(
            206,
            "lever",
            "https://jobs.lever.co/birchwood/bb22",
            "Birchwood Bank",
            "Data Analyst",
            Some("London"),
            join(&[
                BIRCHWOOD,
                &BIRCHWOOD_ANALYST.replace("every Monday", "at the start of each week"),
            ]),
        ),
        l(
            207,
            "lever",
            "https://jobs.lever.co/birchwood/cc33",
            "Birchwood Bank",
            "Data Analyst, Risk",
            Some("London"),
            join(&[BIRCHWOOD, BIRCHWOOD_RISK]),
        ),
        l(
            208,
            "greenhouse",
            "https://boards.greenhouse.io/nimbusfreight/jobs/9001",
            "Nimbus Freight B.V.",
            "Sr. DevOps Engineer",
            Some("Rotterdam, Netherlands"),
            join(&[NIMBUS, NIMBUS_DEVOPS]),
        ),
        l(
            208,
            "adzuna",
            "https://www.adzuna.nl/jobs/details/660001",
            "Nimbus Freight",
            "Senior DevOps Engineer",
            Some("Rotterdam"),
            join(&[NIMBUS, NIMBUS_DEVOPS]),
        ),
        l(
            209,
            "serpapi",
            "https://careers.kestrel.example/jobs/support-engineer",
            "Kestrel AB",
            "Support Engineer",
            Some("Stockholm, Sweden"),
            KESTREL_AB.to_owned(),
        ),
        l(
            210,
            "serpapi",
            "https://kestrel-labs.example/careers/support-engineer",
            "Kestrel Labs",
            "Support Engineer",
            Some("Stockholm, Sweden"),
            KESTREL_LABS.to_owned(),
        ),
    ]
}

const HALDEN: &str = "Halden Energy installs heat pumps in old apartment buildings across Norway and Denmark. Our installers finish two hundred buildings a year and our software plans every visit.";
const HALDEN_PLANNER: &str = "As a full-stack developer on the planning team you will build the tool our coordinators use to schedule installers, order parts and keep residents informed. We write TypeScript on the front and Go behind it, and we deploy several times a day. You have three years of web development and you enjoy talking to the people who use what you build.";
const HALDEN_FIELD: &str = "As a full-stack developer on the field team you will build the tablet app installers carry on site: checklists, photos, measurements and the handover report residents sign. It works offline first. You have shipped a mobile or offline-first web app and you like visiting the people who use it.";
const PERCH: &str = "Perch is a language-learning app for adults who study in short breaks. Two million learners open it every week.";
const PERCH_WRITER: &str = "As a content writer for Spanish you will write the short lessons and dialogues our learners practise with, review the translations of our other courses, and test new exercise types with learners. You are a native Spanish speaker with a strong ear for everyday speech, and you have written for learners before.";
const PERCH_ML: &str = "As a machine learning engineer you will improve the models that choose each learner's next exercise and grade their spoken answers. You will run experiments with the product team and ship models to production. You have shipped models before and you know Python and PyTorch well.";

/// A fourth set, written after the rule changed on set 3 (so set 3 is no longer held out)
/// and read once: two openings with one title on one board and their aggregator copies,
/// a repost with one sentence changed, a snippet, one company's unrelated roles, and a
/// title in another language's form.
fn held_out_last() -> Vec<Labelled> {
    let first = |text: &str, n: usize| -> String {
        text.split_whitespace()
            .take(n)
            .collect::<Vec<_>>()
            .join(" ")
    };
    vec![
        l(301, "ashby", "https://jobs.ashbyhq.com/halden/1111", "Halden Energy AS", "Full-Stack Developer", Some("Oslo, Norway"), join(&[HALDEN, HALDEN_PLANNER])),
        l(301, "serpapi", "https://no.linkedin.com/jobs/view/1111", "Halden Energy", "Full Stack Developer", Some("Oslo"), join(&[HALDEN_PLANNER])),
        l(301, "adzuna", "https://www.adzuna.no/details/91111", "Halden Energy", "Full-Stack Developer", Some("Oslo"), first(HALDEN_PLANNER, 25)),
        l(302, "ashby", "https://jobs.ashbyhq.com/halden/2222", "Halden Energy AS", "Full-Stack Developer", Some("Oslo, Norway"), join(&[HALDEN, HALDEN_FIELD])),
        l(302, "serpapi", "https://no.linkedin.com/jobs/view/2222", "Halden Energy", "Full-Stack Developer", Some("Oslo, Norway"), join(&[HALDEN, HALDEN_FIELD])),
        l(303, "ashby", "https://jobs.ashbyhq.com/halden/3333", "Halden Energy AS", "Full-Stack Developer", Some("Copenhagen, Denmark"), join(&[HALDEN, HALDEN_PLANNER])),
        l(304, "remotive", "https://remotive.com/remote-jobs/writing/spanish-content-writer-44001", "Perch", "Spanish Content Writer", Some("Europe"), join(&[PERCH, PERCH_WRITER])),
        l(304, "remotive", "https://remotive.com/remote-jobs/writing/spanish-content-writer-44077", "Perch", "Spanish Content Writer", Some("Europe"), join(&[PERCH, &PERCH_WRITER.replace("test new exercise types with learners", "try out new kinds of exercises with learners")])),
        l(304, "himalayas", "https://himalayas.app/companies/perch/jobs/content-writer-spanish", "Perch Learning Inc.", "Content Writer (Spanish)", Some("Europe"), join(&[PERCH_WRITER])),
        l(305, "remotive", "https://remotive.com/remote-jobs/ai-ml/machine-learning-engineer-44002", "Perch", "Machine Learning Engineer", Some("Europe"), join(&[PERCH, PERCH_ML])),
        l(306, "remoteok", "https://remoteok.com/remote-jobs/remote-content-writer-perch-pets-55001", "Perch Pets", "Content Writer", Some("Worldwide"), "Perch Pets sells bird toys online. Write product descriptions and our weekly newsletter about caring for parrots and budgies.".to_owned()),
    ]
}

const NORTHWIND_OPS: &str = "As an operations analyst you will watch the daily delivery numbers of our forty cities, find the routes that lose time and work with the planners to fix them. You will automate the reports you find yourself repeating. You know SQL and a spreadsheet inside out and you like a messy question.";
const ATLAS_ONE: &str = "Atlas is a two-person bakery supply shop in Porto. We need a part-time bookkeeper to keep our invoices, pay suppliers and prepare the quarterly VAT return with our accountant. You have done small-business bookkeeping before.";
const ATLAS_TWO: &str = "Atlas Maritime operates twelve container feeder vessels in the Atlantic. The finance team needs a bookkeeper to process crew payroll, reconcile fuel invoices across three currencies and support the monthly close. Shipping experience is a plus.";
const BOLT_QA: &str = "As a QA engineer you will own the test plan of our scooter app, automate the regressions that matter with Playwright, and decide with the team when a release is ready. You have tested mobile apps in production and you write clear bug reports.";
const VESTA: &str = "Vesta builds home insurance that pays claims in days. As a claims handler you will talk to customers after a leak or a break-in, check what the policy covers and decide quickly and fairly. You have handled insurance claims before and you stay calm on the phone.";

/// A fifth set, written before the company-name change below and read once after it:
/// one company named short and long, two companies that share a first word, a snippet
/// under a long name, and unrelated roles.
fn held_out_fifth() -> Vec<Labelled> {
    vec![
        l(401, "greenhouse", "https://boards.greenhouse.io/northwind/jobs/5501", "Northwind", "Operations Analyst", Some("Berlin, Germany"), NORTHWIND_OPS.to_owned()),
        l(401, "serpapi", "https://de.linkedin.com/jobs/view/5501", "Northwind Logistics GmbH", "Operations Analyst", Some("Berlin"), NORTHWIND_OPS.to_owned()),
        l(401, "adzuna", "https://www.adzuna.de/jobs/details/775501", "Northwind Logistics", "Operations Analyst (m/f/d)", Some("Berlin"), NORTHWIND_OPS.split_whitespace().take(30).collect::<Vec<_>>().join(" ")),
        l(402, "serpapi", "https://pt.linkedin.com/jobs/view/6601", "Atlas", "Bookkeeper", Some("Porto, Portugal"), ATLAS_ONE.to_owned()),
        l(403, "adzuna", "https://www.adzuna.pt/jobs/details/886601", "Atlas Maritime", "Bookkeeper", Some("Porto, Portugal"), ATLAS_TWO.to_owned()),
        l(404, "lever", "https://jobs.lever.co/bolt/qa-1", "Bolt", "QA Engineer", Some("Tallinn, Estonia"), BOLT_QA.to_owned()),
        l(404, "remotive", "https://remotive.com/remote-jobs/qa/qa-engineer-77001", "Bolt Technology OÜ", "QA Engineer", Some("Tallinn, Estonia"), format!("{BOLT_QA} Mention Remotive when you apply.")),
        l(405, "lever", "https://jobs.lever.co/bolt/qa-2", "Bolt", "Senior QA Engineer", Some("Tallinn, Estonia"), "As a senior QA engineer you will lead testing for payments: set the strategy, mentor two testers and build the contract tests between our services. You have led QA for a payments product.".to_owned()),
        l(406, "ashby", "https://jobs.ashbyhq.com/vesta/claims-1", "Vesta", "Claims Handler", Some("Dublin, Ireland"), VESTA.to_owned()),
        l(406, "ashby", "https://jobs.ashbyhq.com/vesta/claims-9", "Vesta", "Claims Handler", Some("Dublin, Ireland"), VESTA.replace("decide quickly and fairly", "make a quick and fair decision")),
        l(407, "remoteok", "https://remoteok.com/remote-jobs/claims-handler-vesta-pets-88001", "Vesta Pets", "Claims Handler", Some("Dublin, Ireland"), "Vesta Pets insures cats and dogs. Handle vet bill claims by email, check the policy and pay within two days. Experience with pet insurance helps.".to_owned()),
    ]
}

fn score(all: &[Labelled], show: bool) -> (usize, usize, usize, usize) {
    let (mut tp, mut fp, mut fn_) = (0, 0, 0);
    let mut pairs = 0;
    for i in 0..all.len() {
        for j in i + 1..all.len() {
            pairs += 1;
            let (a, b) = (&all[i], &all[j]);
            let same = a.group == b.group;
            let said = one_job(&a.listing, &b.listing);
            match (same, said) {
                (true, Some(_)) => tp += 1,
                (false, Some(why)) => {
                    fp += 1;
                    if show {
                        println!(
                            "  not the same, read as one ({why}): {} / {}",
                            a.listing.url, b.listing.url
                        );
                    }
                }
                (true, None) => {
                    fn_ += 1;
                    if show {
                        println!(
                            "  the same, read as two: {} / {}",
                            a.listing.url, b.listing.url
                        );
                    }
                }
                (false, None) => {}
            }
        }
    }
    (pairs, tp, fp, fn_)
}

pub fn run(show: bool) {
    for (name, all) in [
        ("set 1 (the rule was fixed on it)", set()),
        ("set 2 (held out)", held_out()),
        (
            "set 3 (written this stop; the rule changed after it)",
            held_out_more(),
        ),
        (
            "set 4 (written after that change; read once before the company-name change)",
            held_out_last(),
        ),
        (
            "set 5 (held out: written before the company-name change, read once after it)",
            held_out_fifth(),
        ),
    ] {
        let (pairs, tp, fp, fn_) = score(&all, show);
        let precision = tp as f64 / (tp + fp).max(1) as f64;
        let recall = tp as f64 / (tp + fn_).max(1) as f64;
        let mut groups: Vec<usize> = all.iter().map(|l| l.group).collect();
        groups.dedup();
        println!(
            "dedup, {name}: {} listings of {} jobs ({pairs} pairs, {} the same job): precision {precision:.3}, recall {recall:.3} ({tp} found, {fp} wrongly joined, {fn_} missed)",
            all.len(),
            groups.len(),
            tp + fn_
        );
    }
}

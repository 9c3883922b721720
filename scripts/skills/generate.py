#!/usr/bin/env python3
"""Generate Pursuit's shipped skills table, crates/pursuit-text/data/skills.tsv.

Sources (facts, with attribution in NOTICE):
  - O*NET 29.2 "Technology Skills.txt" and "Task Statements.txt" (CC BY 4.0)
  - ESCO v1 cross-sector and transversal skills, skills_en.csv (CC BY 4.0)
  - GitHub Linguist languages.yml (MIT)
plus the hand-written lists in this file (aliases everyone uses, practices that no source
lists as a product). Run it where the sources are, e.g.

    python3 scripts/skills/generate.py --eval ../shared/eval

It needs python3-yaml. The output is sorted and stable, so a re-run shows as a clean diff.

Columns: id, name, category, source, aliases ("|"-separated), cased aliases ("|"-separated:
matched only with exactly this capitalisation and not as a sentence's first word, because
in lower case they are ordinary English words).
"""

import argparse
import csv
import re
import sys
from pathlib import Path

import yaml

# Company names that O*NET puts in front of a product ("Atlassian JIRA"); people write the
# product alone, so the name without the vendor becomes an alias.
VENDORS = {
    "Adobe", "Amazon", "Apache", "Apple", "Atlassian", "Autodesk", "Cisco", "Citrix", "Dell",
    "Eclipse", "Facebook", "Google", "IBM", "Intuit", "Meta", "Microsoft", "Oracle", "Red Hat",
    "Salesforce", "SAP", "VMware", "JetBrains", "MathWorks", "Mozilla", "Elastic", "HashiCorp",
}

# Names people write for a skill that no source lists. canonical name -> aliases.
EXTRA_ALIASES = {
    "JavaScript": ["JS", "ECMAScript", "ES6"],
    "TypeScript": ["TS"],
    "Go": ["Golang"],
    "Kubernetes": ["k8s", "kube"],
    "C#": ["csharp", "C sharp"],
    "C++": ["cpp", "C plus plus"],
    "PostgreSQL": ["Postgres", "psql"],
    "Node.js": ["NodeJS", "Node"],
    "React": ["ReactJS", "React.js"],
    "Vue.js": ["Vue", "VueJS"],
    "Angular": ["AngularJS", "Angular.js"],
    "AWS": ["Amazon Web Services"],
    "Microsoft Azure": ["Azure"],
    "Google Cloud": ["GCP", "Google Cloud Platform"],
    "Scikit-learn": ["sklearn", "scikit learn"],
    "pandas": ["Pandas"],
    "Jenkins": ["Jenkins CI"],
    "Microsoft Excel": ["MS Excel", "Excel"],
    "Microsoft Word": ["MS Word", "Word"],
    "Microsoft Outlook": ["Outlook"],
    "Microsoft Access": ["MS Access"],
    "Microsoft PowerPoint": ["PowerPoint", "MS PowerPoint"],
    "Microsoft Power BI": ["Power BI", "PowerBI"],
    "Python": ["Python3", "Python 3"],
    "Ruby on Rails": ["Rails", "RoR"],
    "Spring Framework": ["Spring Boot", "Spring"],
    "Git": ["git", "GIT"],
    "Amazon EC2": ["EC2"],
    "Amazon S3": ["S3"],
    ".NET": ["dotnet", ".NET Core"],
    "Microsoft Visual Basic for Applications VBA": ["VBA"],
    "CSS": ["CSS3"],
    "HTML": ["HTML5"],
    "Snowflake": ["Snowflake Data Cloud"],
    "Apache Spark": ["Spark"],
    "Apache Maven": ["Maven"],
    "Elasticsearch": ["Elastic Search"],
    "AWS Lambda": [],
}

# Products O*NET names by an edition or with its maker twice ("Splunk Enterprise",
# "Grafana Labs Grafana Cloud"), which people write by the product's name alone. Written by
# us. A name that is also an English word ("Hive", "Hibernate") is matched only as written.
BRAND_ALIASES = {
    "Splunk Enterprise": ["Splunk"],
    "Hibernate ORM": ["Hibernate"],
    "React Redux": ["Redux"],
    "Grafana Labs Grafana Cloud": ["Grafana"],
    "Apache Hive": ["Hive"],
    "Apache Airflow": ["Airflow"],
    "Red Hat OpenShift": ["OpenShift"],
    "Google Looker Analytics": ["Looker"],
}

# Software people name in resumes and postings that none of the sources lists (O*NET's
# examples stop at what its surveys met), with the O*NET category it belongs in. Written by
# us from general knowledge of the field. Name -> (category, aliases); like O*NET's products,
# a name that is also an English word ("Jest", "Cucumber") is matched only as written.
PRODUCTS = {
    # Web frameworks and front-end tools
    "Laravel": ("Web platform development software", []),
    "Symfony": ("Web platform development software", []),
    "CodeIgniter": ("Web platform development software", []),
    "Next.js": ("Web platform development software", ["NextJS"]),
    "Nuxt": ("Web platform development software", ["Nuxt.js", "NuxtJS"]),
    "Svelte": ("Web platform development software", ["SvelteKit"]),
    "FastAPI": ("Web platform development software", []),
    "NestJS": ("Web platform development software", []),
    "Express.js": ("Web platform development software", ["ExpressJS"]),
    "Tailwind CSS": ("Web platform development software", ["TailwindCSS", "Tailwind"]),
    "SCSS": ("Web platform development software", []),
    "RxJS": ("Web platform development software", []),
    "Three.js": ("Graphics or photo imaging software", ["ThreeJS"]),
    "D3.js": ("Graphics or photo imaging software", ["D3js"]),
    "Storybook": ("Web platform development software", []),
    "Babel": ("Development environment software", []),
    "ESLint": ("Development environment software", []),
    "Vite": ("Development environment software", []),
    "Gulp": ("Development environment software", []),
    "Grunt": ("Development environment software", []),
    "Yarn": ("Development environment software", []),
    "npm": ("Development environment software", []),
    "Flutter": ("Development environment software", []),
    "Xamarin": ("Development environment software", []),
    "Ionic": ("Development environment software", []),
    "Apache Cordova": ("Development environment software", ["Cordova", "PhoneGap"]),
    "Unreal Engine": ("Development environment software", ["UE4", "UE5"]),
    "Godot": ("Development environment software", []),
    "Firebase": ("Development environment software", []),
    "Heroku": ("Application server software", []),
    "Netlify": ("Application server software", []),
    "Vercel": ("Application server software", []),
    "Cloudflare": ("Network security or virtual private network VPN management software", []),
    "Twilio": ("Enterprise application integration software", []),
    "MuleSoft": ("Enterprise application integration software", ["Mule ESB", "MuleSoft Anypoint"]),
    "Apigee": ("Enterprise application integration software", []),
    "gRPC": ("Enterprise application integration software", []),
    "Swagger": ("Development environment software", ["OpenAPI"]),
    "Struts": ("Web platform development software", ["Apache Struts"]),
    "JavaServer Faces": ("Web platform development software", ["JSF"]),
    "Java Servlets": ("Web platform development software", ["Servlets", "Servlet"]),
    "Enterprise JavaBeans": ("Object or component oriented development software", ["EJB"]),
    "Java Persistence API": ("Object or component oriented development software", ["JPA"]),
    "MyBatis": ("Object or component oriented development software", ["iBatis"]),
    "Quarkus": ("Application server software", []),
    "Micronaut": ("Application server software", []),
    "Akka": ("Application server software", []),
    "Celery": ("Development environment software", []),
    "Liquibase": ("Data base management system software", []),
    "Flyway": ("Data base management system software", []),
    # Testing
    "Jest": ("Program testing software", []),
    "Mocha": ("Program testing software", []),
    "pytest": ("Program testing software", ["PyTest"]),
    "Cypress": ("Program testing software", ["Cypress.io"]),
    "Playwright": ("Program testing software", []),
    "Puppeteer": ("Program testing software", []),
    "TestCafe": ("Program testing software", []),
    "Appium": ("Program testing software", []),
    "Cucumber": ("Program testing software", []),
    "Katalon Studio": ("Program testing software", ["Katalon"]),
    "SoapUI": ("Program testing software", []),
    "Robot Framework": ("Program testing software", []),
    "LoadRunner": ("Program testing software", ["Micro Focus LoadRunner"]),
    # Build, deployment and operations
    "CircleCI": ("Configuration management software", []),
    "Travis CI": ("Configuration management software", []),
    "GitHub Actions": ("Configuration management software", []),
    "GitLab CI": ("Configuration management software", ["GitLab CI/CD"]),
    "TeamCity": ("Configuration management software", []),
    "Argo CD": ("Configuration management software", ["ArgoCD"]),
    "Helm": ("Configuration management software", []),
    "Istio": ("Network monitoring software", []),
    "Nginx": ("Application server software", ["NGINX"]),
    "HAProxy": ("Application server software", []),
    "Pulumi": ("Configuration management software", []),
    "AWS CloudFormation": ("Configuration management software", ["CloudFormation"]),
    "Amazon EKS": ("Application server software", ["EKS"]),
    "Rancher": ("Application server software", []),
    "Datadog": ("Network monitoring software", []),
    "New Relic": ("Network monitoring software", []),
    "Kibana": ("Network monitoring software", []),
    "Logstash": ("Network monitoring software", []),
    "ELK Stack": ("Network monitoring software", []),
    "Mercurial": ("Configuration management software", []),
    # Data
    "Databricks": ("Data base management system software", []),
    "dbt": ("Data base management system software", ["data build tool"]),
    "Apache Flink": ("Data base management system software", ["Flink"]),
    "Apache ZooKeeper": ("Data base management system software", ["ZooKeeper"]),
    "Apache Impala": ("Data base management system software", ["Impala"]),
    "Memcached": ("Data base management system software", []),
    "CouchDB": ("Data base management system software", ["Apache CouchDB"]),
    "QlikView": ("Business intelligence and data analysis software", ["Qlik Sense", "Qlik"]),
    "Talend": ("Data base management system software", []),
    "IBM InfoSphere DataStage": ("Data base management system software", ["DataStage"]),
    "Matplotlib": ("Analytical or scientific software", []),
    "OpenCV": ("Analytical or scientific software", []),
    "NLTK": ("Analytical or scientific software", []),
    "spaCy": ("Analytical or scientific software", []),
    "Hugging Face": ("Analytical or scientific software", ["Hugging Face Transformers"]),
    # Business software
    "UiPath": ("Expert system software", []),
    "Blue Prism": ("Expert system software", []),
    "Automation Anywhere": ("Expert system software", []),
    "Pega": ("Customer relationship management CRM software", ["Pegasystems"]),
    "Magento": ("Web page creation and editing software", ["Adobe Commerce"]),
    "Shopify": ("Web page creation and editing software", []),
    "Stripe": ("Financial analysis software", []),
}

# Short names in capitals that people also write in lower case ("sql", "php") and that are
# no word in lower case: the lower-case spelling is a form too, like the capitals matched
# only as written.
LOWER_CASE_TOO = {
    "SQL", "PHP", "AWS", "CSS", "GCP", "NLP", "ETL", "XML", "SSH", "DNS", "VPN", "SEO", "CRM",
    "ERP", "UML", "VBA", "GIS", "CMS", "SVN", "JSP", "GIT", "TDD",
}

# Fields of study, written by us: knowledge a person names ("B.Sc. in Computer Science"),
# kept apart ("Field of study") because a posting names them as degree subjects, often
# as alternatives ("Computer Science, Business or a related field"), not as skills.
FIELDS = [
    "Computer science", "Information technology", "Mechanical engineering",
    "Electrical engineering", "Civil engineering", "Chemical engineering",
]

# Skills that are practices rather than products; written by us.
PRACTICES = {
    "Data science": [],
    "Bioinformatics": [],
    "Embedded systems": [],
    "Software architecture": [],
    "Design patterns": [],
    "Code review": ["code reviews"],
    "Pair programming": [],
    "Test-driven development": ["TDD", "test driven development"],
    "Serverless computing": ["serverless"],
    "Multithreading": ["multi-threading"],
    "Shell scripting": [],
    "Relational databases": ["relational database"],
    "Web services": [],
    "Internet of things": ["IoT"],
    "Software as a service": ["SaaS"],
    "Project Management Professional": ["PMP", "PMP certification"],
    "Applicant tracking systems": ["ATS", "applicant tracking system", "applicant tracking software"],
    "Machine learning": ["ML"],
    "Deep learning": [],
    "Natural language processing": ["NLP"],
    "Computer vision": [],
    "Data analysis": ["data analytics"],
    "Data engineering": [],
    "Data visualization": ["data visualisation"],
    "Statistics": ["statistical analysis"],
    "Project management": [],
    "Product management": [],
    "Agile": ["agile methodologies", "agile methodology"],
    "Scrum": [],
    "Kanban": [],
    "Continuous integration": ["CI/CD", "CI CD", "continuous delivery", "continuous deployment"],
    "DevOps": [],
    "Microservices": ["microservice architecture"],
    "REST APIs": ["REST", "RESTful", "REST API", "RESTful APIs"],
    "API design": ["APIs", "API", "web APIs", "API development"],
    "Unit testing": ["unit tests"],
    "Test automation": ["automated testing"],
    "Distributed systems": [],
    "System design": [],
    "Cloud computing": [],
    "Cybersecurity": ["information security", "cyber security"],
    "Networking": ["computer networking"],
    "Object-oriented programming": ["OOP", "object oriented programming"],
    "Functional programming": [],
    "Software development": ["software engineering"],
    "Web development": [],
    "Mobile development": [],
    "Frontend development": ["front-end development", "front end development"],
    "Backend development": ["back-end development", "back end development"],
    "Full-stack development": ["full stack development"],
    "Data structures": [],
    "Algorithms": [],
    "ETL": ["extract transform load"],
    "Data warehousing": ["data warehouse"],
    "Business intelligence": ["BI"],
    "A/B testing": ["AB testing", "split testing"],
    "Search engine optimization": ["SEO"],
    "Digital marketing": [],
    "Content marketing": [],
    "Social media marketing": [],
    "Customer service": ["customer support"],
    "Sales": [],
    "Account management": [],
    "Budgeting": [],
    "Financial analysis": [],
    "Financial reporting": [],
    "Accounting": [],
    "Bookkeeping": [],
    "Auditing": [],
    "Payroll": [],
    "Recruiting": ["recruitment", "talent acquisition"],
    "Onboarding": [],
    "Stakeholder management": [],
    "Risk management": [],
    "Supply chain management": ["supply chain"],
    "Inventory management": [],
    "Quality assurance": ["QA"],
    "User experience design": ["UX", "UX design", "user experience"],
    "User interface design": ["UI design", "UI/UX"],
    "Graphic design": [],
    "Technical writing": [],
    "Copywriting": [],
    "Leadership": ["team leadership"],
    "Mentoring": ["mentorship", "coaching"],
    "Communication": ["communication skills", "written communication", "verbal communication"],
    "Teamwork": ["team player", "collaboration"],
    "Problem solving": ["problem-solving"],
    "Time management": [],
    "Negotiation": [],
    "Public speaking": ["presentation skills"],
    "Critical thinking": [],
    "Attention to detail": ["detail-oriented", "detail oriented"],
    "Large language models": ["LLM", "LLMs"],
    "Prompt engineering": [],
    "Site reliability engineering": ["SRE"],
    "Infrastructure as code": ["IaC"],
    # Not "monitoring": nurses, plants and budgets are monitored too.
    "Observability": [],
    "Performance optimization": ["performance tuning"],
    "Nursing": [],
    "Patient care": [],
    "Teaching": [],
    "Curriculum development": [],
    "Event planning": ["event management"],
    "Customer relationship management": ["CRM"],
    "Enterprise resource planning": ["ERP"],
}

# Practices of other lines of work than software, which O*NET's technology list has no
# entries for and ESCO words as actions ("recruit personnel") people rarely write:
# "HR management" and "employee relations" in a human resources resume, "general ledger"
# in an accountant's, "lesson planning" in a teacher's; written by us.
DOMAIN_PRACTICES = {
    # Human resources
    "Human resources management": ["HR management", "human resource management"],
    "Employee relations": [],
    "Performance management": ["performance appraisals"],
    "Benefits administration": ["benefits management"],
    "Compensation and benefits": ["compensation & benefits"],
    "HRIS": ["human resources information systems", "human resource information systems", "human resources information system", "human resource information system"],
    "Workforce planning": [],
    "Succession planning": [],
    "Labor relations": ["labour relations"],
    "Employment law": ["labor law", "labour law"],
    "Training and development": ["learning and development"],
    "Employee engagement": [],
    "Conflict resolution": [],
    "Diversity and inclusion": ["diversity, equity and inclusion", "diversity, equity, and inclusion"],
    "FMLA": ["Family and Medical Leave Act"],
    # Finance and accounting
    "Accounts payable": [],
    "Accounts receivable": [],
    "General ledger": [],
    "Account reconciliation": ["account reconciliations", "bank reconciliation", "bank reconciliations"],
    "Financial modeling": ["financial modelling"],
    "Forecasting": ["financial forecasting"],
    "GAAP": ["generally accepted accounting principles", "US GAAP"],
    "IFRS": ["International Financial Reporting Standards"],
    "Tax preparation": [],
    "Cost accounting": [],
    "Variance analysis": [],
    "Month-end close": ["month end close", "month-end closing", "month end closing"],
    "Financial statements": ["financial statement preparation"],
    # Sales and marketing
    "Lead generation": [],
    "Cold calling": [],
    "Business development": [],
    "Market research": [],
    "Brand management": [],
    "Email marketing": [],
    "Marketing strategy": [],
    "Public relations": [],
    "Merchandising": ["visual merchandising"],
    "Territory management": [],
    # Operations and supply chain
    "Procurement": [],
    "Logistics": [],
    "Vendor management": ["supplier management"],
    "Lean manufacturing": [],
    "Six Sigma": ["Lean Six Sigma"],
    "Process improvement": ["continuous improvement"],
    "Quality control": [],
    # Healthcare
    "Phlebotomy": [],
    "CPR": ["cardiopulmonary resuscitation"],
    "Basic life support": ["BLS"],
    "Advanced cardiac life support": ["ACLS"],
    "Medication administration": [],
    "Triage": [],
    "Vital signs": [],
    "Patient assessment": [],
    "Wound care": [],
    "Medical terminology": [],
    "Medical billing": [],
    "Medical coding": [],
    "HIPAA": ["HIPAA compliance"],
    "Case management": [],
    # Education
    "Classroom management": [],
    "Lesson planning": ["lesson plans"],
    "Differentiated instruction": [],
    "Individualized education programs": ["IEP", "IEPs", "individualized education program"],
    "Special education": [],
    # Law
    "Legal research": [],
    "Litigation": [],
    "Contract negotiation": [],
    "Contract management": [],
    "Legal writing": [],
    "Due diligence": [],
    "Regulatory compliance": [],
    "Intellectual property": [],
    "E-discovery": ["ediscovery", "electronic discovery"],
    # Hospitality, trades
    "Food safety": [],
    "Cash handling": [],
    "Menu planning": [],
    "Blueprint reading": ["reading blueprints"],
    "OSHA": ["OSHA compliance", "OSHA regulations"],
    "Preventive maintenance": ["preventative maintenance"],
}
PRACTICES.update(DOMAIN_PRACTICES)

# Human languages, as languages: ESCO lists some ("Danish") but not others ("English").
HUMAN_LANGUAGES = {
    "English": [], "French": [], "Spanish": ["Castilian"], "German": [], "Arabic": [],
    "Portuguese": [], "Italian": [], "Dutch": ["Flemish"], "Russian": [], "Mandarin": ["Mandarin Chinese"],
    "Cantonese": [], "Chinese": [], "Japanese": [], "Korean": [], "Hindi": [], "Urdu": [], "Bengali": ["Bangla"],
    "Turkish": [], "Polish": [], "Swedish": [], "Danish": [], "Norwegian": [], "Finnish": [],
    "Greek": [], "Hebrew": [], "Persian": ["Farsi"], "Vietnamese": [], "Thai": [], "Indonesian": [],
    "Malay": [], "Swahili": [], "Romanian": [], "Czech": [], "Hungarian": [], "Ukrainian": [],
    "Tagalog": ["Filipino"], "Catalan": [], "Tamil": [], "Punjabi": [], "Amharic": [],
    "American Sign Language": ["ASL"], "British Sign Language": ["BSL"],
}

# Linguist languages worth knowing even where O*NET does not list them.
KNOWN_LANGUAGES = {
    "Rust", "Go", "Kotlin", "TypeScript", "Scala", "Swift", "Dart", "Elixir", "Erlang",
    "Haskell", "Julia", "Clojure", "Lua", "Perl", "PHP", "Ruby", "R", "C", "C++", "C#",
    "JavaScript", "Python", "Shell", "PowerShell", "Objective-C", "F#", "OCaml", "MATLAB",
    "Fortran", "COBOL", "Groovy", "Solidity", "Zig", "Nim", "Crystal", "Elm", "Assembly",
    "Visual Basic .NET", "Apex", "ABAP", "HCL", "SQL", "PLSQL", "TSQL", "Scheme", "Racket",
    "Common Lisp", "Prolog", "Ada", "Pascal", "Delphi", "VBA", "Verilog", "VHDL", "Bash",
    "GraphQL", "Java", "SAS", "Stata", "Smalltalk", "Vim Script", "WebAssembly", "CUDA",
}

# Linguist aliases that name something else for our users.
DROP_ALIASES = {"cakescript", "node", "sh", "shell-script", "bash", "zsh", "cake", "terraform", "xml", "yaml"}

# O*NET names people never write; the name they do write becomes the skill's name and
# O*NET's stays an alias.
# Acronyms an O*NET example ends in that people mostly write for something else: the
# example keeps its long name ("Fixed income alternative trading systems ATS"), and the
# acronym goes to the skill named by hand ("ATS": applicant tracking systems).
SHARED_ACRONYMS = {"ATS"}

RENAME = {
    "Oracle Java": "Java",
    "Amazon Web Services AWS": "AWS",
    "JavaScript Object Notation JSON": "JSON",
    "Google Angular": "Angular",
    "Atlassian JIRA": "Jira",
    "Jenkins CI": "Jenkins",
    "IBM Terraform": "Terraform",
    "Amazon Simple Storage Service S3": "Amazon S3",
    "Amazon Elastic Compute Cloud EC2": "Amazon EC2",
    "Apple iOS": "iOS",
    "Google Android": "Android",
    "Apple macOS": "macOS",
    "Microsoft Azure": "Azure",
    "Rust programming language": "Rust",
    "Microsoft .NET Framework": ".NET",
}

STOP_ALIASES = {"software", "system", "systems", "data", "cloud", "server", "web", "go to"}


def clean(name):
    name = re.sub(r"\s+", " ", name).strip()
    return name


def slug(name):
    s = name.lower().replace("++", "pp").replace("#", "sharp").replace(".", "dot")
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s or "x"


def is_acronym(token):
    return len(token) >= 2 and token[0].isupper() and re.fullmatch(r"[A-Z][A-Z0-9.+#/-]*", token) and any(c.isalpha() for c in token)


def abbreviates(acronym, words):
    """True when `acronym` (3+ letters) spells the words before it: its letters appear in
    order in them, starting at a word's first letter ("HTML" ← "Hypertext markup language",
    not "PDF" ← "Nuance Power")."""
    letters = [c.lower() for c in acronym if c.isalpha()]
    if len(letters) < 3:
        return False
    for start in range(len(words)):
        text = "".join(w.lower() for w in words[start:])
        if not text or text[0] != letters[0]:
            continue
        i = 0
        for c in text:
            if i < len(letters) and c == letters[i]:
                i += 1
        if i == len(letters):
            return True
    return False


def onet_aliases(name, english):
    """Aliases of an O*NET example: the trailing acronym, the name without it, the
    name without its vendor."""
    base = name[: -len(" software")] if name.endswith(" software") else name
    out = set()
    tokens = base.split(" ")
    if len(tokens) >= 3 and is_acronym(tokens[-1]) and abbreviates(tokens[-1], tokens[:-1]):
        # "Hypertext markup language HTML": HTML, and "Hypertext markup language".
        out.add(tokens[-1])
        out.add(" ".join(tokens[:-1]))
    for vendor in VENDORS:
        if base.startswith(vendor + " ") and len(base) > len(vendor) + 2:
            rest = base[len(vendor) + 1:]
            # "Autodesk Mechanical" is not what "Mechanical" means, and "Microsoft operating
            # system" not what "operating system" does: a name without its vendor is an alias
            # when it is more than ordinary words.
            ordinary = all(w.islower() and w in english for w in rest.split(" "))
            if (" " in rest or rest.lower() not in english) and not ordinary:
                out.add(rest)
            rtokens = rest.split(" ")
            if len(rtokens) >= 2 and is_acronym(rtokens[-1]):
                out.add(vendor + " " + rtokens[-1])
    out.add(base)
    out.discard(name)
    return base, out


def generic(name, hot):
    """O*NET's category-like examples ("Budgeting software"): no product name. One that O*NET
    marks a hot technology is a product ("Salesforce software", "Workday software")."""
    words = name.split(" ")
    return name.endswith(" software") and all(w.islower() or w in {"and", "or"} for w in words[1:]) \
        and not any(is_acronym(w) for w in words) and not hot


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--eval", required=True, help="the folder holding taxonomy-* sources")
    parser.add_argument("--out", default=str(Path(__file__).resolve().parents[2] / "crates/pursuit-text/data/skills.tsv"))
    args = parser.parse_args()
    root = Path(args.eval)

    # Ordinary English words, from O*NET's task statements: an alias that is one of them is
    # matched only with its own capitalisation ("Go", "Word", "Access").
    english = set()
    with open(root / "taxonomy-onet-29.2/Task Statements.txt", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            english.update(w for w in re.findall(r"[a-z]+", row["Task"]))
    # The statements' plurals say their singulars are words too ("deadlines": "After the
    # Deadline" is a product only as written).
    english.update([w[:-1] for w in english if w.endswith("s") and len(w) > 3])
    english.update({"apps", "go", "swift", "rust", "ruby", "spark", "hive", "pig", "chef", "puppet", "salt",
                    "teams", "slack", "zoom", "box", "notion", "shell", "dart", "elm", "crystal",
                    "julia", "r", "c", "d", "j", "k", "q", "s", "e", "io", "red", "ring", "pure",
                    "factor", "forth", "logo", "self", "node", "rails", "spring", "vue", "kube",
                    "monitoring", "scheme", "polish", "collaboration", "coaching", "sales", "ts", "bi", "qa", "ml",
                    "excel", "word", "access", "outlook", "project", "publisher", "bootstrap",
                    "express", "flask", "jest", "mocha", "ember", "backbone", "meteor", "nest",
                    "unity", "maven", "gradle", "ant", "make", "sketch", "helm", "celery", "ionic",
                    "grunt", "gulp", "babel", "rancher", "stripe", "cypress", "flutter", "storybook",
                    "workday", "mercurial", "swagger", "playwright", "puppeteer", "impala",
                    "svelte", "yarn"})

    skills = {}  # name -> dict

    def add(name, category, source, aliases):
        name = clean(name)
        entry = skills.setdefault(name, {"category": category, "source": source, "aliases": set()})
        entry["aliases"].update(clean(a) for a in aliases if clean(a))

    with open(root / "taxonomy-onet-29.2/Technology Skills.txt", encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    hot = {clean(row["Example"]) for row in rows if row["Hot Technology"] == "Y"}
    # Every example's name as people write it: an acronym that is another product's name
    # written otherwise ("REACT", a real-estate system, and React) does not replace its own.
    named = {onet_aliases(clean(row["Example"]), english)[0] for row in rows}
    named_lower = {n.lower() for n in named}
    for row in rows:
        example = clean(row["Example"])
        if generic(example, example in hot):
            continue
        base, aliases = onet_aliases(example, english)
        tokens = base.split(" ")
        if len(tokens) >= 3 and is_acronym(tokens[-1]) and all(t.islower() for t in tokens[1:-1]) \
                and tokens[-1] not in SHARED_ACRONYMS \
                and (tokens[-1] in named or tokens[-1].lower() not in named_lower):
            # "Hypertext markup language HTML" is written "HTML".
            aliases.add(base)
            base = tokens[-1]
        if base in RENAME:
            aliases.add(base)
            base = RENAME[base]
        add(base, row["Commodity Title"], "onet", aliases)

    languages = yaml.safe_load(open(root / "taxonomy-github-linguist/languages.yml", encoding="utf-8"))
    lowered = {n.lower(): n for n in skills}
    for name, entry in languages.items():
        if entry.get("type") != "programming":
            continue
        aliases = [a for a in entry.get("aliases", []) if a not in DROP_ALIASES]
        target = lowered.get(name.lower()) or lowered.get((name + " programming language").lower())
        if target:
            skills[target]["aliases"].update(aliases + [name])
            skills[target]["category"] = "Programming language"
        elif name in KNOWN_LANGUAGES:
            add(name, "Programming language", "linguist", aliases)

    with open(root / "taxonomy-esco-skills/skills_en.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["reuseLevel"] != "transversal":
                continue
            # Preferred labels only: in this export the altLabels column is not aligned with
            # its rows ("photographic lenses" carries "engineering", "packing", ...).
            label = clean(row["preferredLabel"])
            if len(label.split(" ")) > 5:
                continue
            add(label, "Transversal skill", "esco", [])

    lowered = {n.lower(): n for n in skills}
    for name, aliases in HUMAN_LANGUAGES.items():
        target = lowered.get(name.lower(), name)
        add(target, "Language", "pursuit", aliases)
        skills[target]["category"] = "Language"

    for name, aliases in PRACTICES.items():
        if name in skills:
            skills[name]["aliases"].update(aliases)
        else:
            add(name, "Practice", "pursuit", aliases)
    for name in FIELDS:
        add(name, "Field of study", "pursuit", [])
    for name, (category, aliases) in PRODUCTS.items():
        add(name, category, "pursuit", aliases)
    lowered = {n.lower(): n for n in skills}
    for name, aliases in list(EXTRA_ALIASES.items()) + list(BRAND_ALIASES.items()):
        target = lowered.get(name.lower())
        if target is None:
            add(name, "Software", "pursuit", aliases)
        else:
            skills[target]["aliases"].update(aliases)

    # Each alias names one skill: the first claim wins, in order of a skill's own name,
    # then hand-written aliases, then the rest; ambiguous aliases are dropped.
    owner = {}
    for name in skills:
        owner.setdefault(name.lower(), name)
    claims = {}
    for name, entry in skills.items():
        for alias in entry["aliases"]:
            key = alias.lower()
            if key in owner or key in STOP_ALIASES or len(key) < 1:
                continue
            claims.setdefault(key, set()).add(name)
    hand = {a.lower(): n for n, al in list(EXTRA_ALIASES.items()) + list(PRACTICES.items())
            + list(BRAND_ALIASES.items()) + [(n, al) for n, (_, al) in PRODUCTS.items()] for a in al}
    for key, names in claims.items():
        if key in hand and lowered.get(hand[key].lower(), hand[key]) in names:
            owner[key] = lowered.get(hand[key].lower(), hand[key])
        elif len(names) == 1:
            owner[key] = next(iter(names))

    rows = []
    ids = set()
    for name in sorted(skills, key=lambda n: (n.lower(), n)):
        entry = skills[name]
        plain, cased = [], []
        for alias in sorted(entry["aliases"] | {name}, key=lambda a: (a.lower(), a)):
            key = alias.lower()
            if owner.get(key) != name:
                continue
            words = re.findall(r"[a-z0-9+#]+", key)
            one_word = len(words) == 1
            # A product named in everyday words ("After the Deadline") is a name only when
            # written like one; a description ("Advanced business application programming")
            # is matched in any case.
            small = {"a", "an", "and", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"}
            title_like = all(w[:1].isupper() or w in small for w in alias.split())
            common = (one_word and (words[0] in english or (len(words[0]) <= 3 and words[0].isalpha()))) \
                or (len(words) > 1 and title_like and all(w in english for w in words) and entry["source"] == "onet")
            proper = entry["source"] in ("onet", "linguist") or alias.isupper() or entry["category"] == "Language" \
                or name in PRODUCTS
            if common and alias != key and proper:
                cased.append(alias)  # "Go", "Word", "ML": only as written
                if alias in LOWER_CASE_TOO:
                    cased.append(key)
            elif common and proper:
                continue  # "excel" in lower case is a verb, not the spreadsheet
            elif alias != name and key not in {p.lower() for p in plain}:
                plain.append(alias)
        ident = slug(name)
        while ident in ids:
            ident += "-"
        ids.add(ident)
        rows.append([ident, name, entry["category"], entry["source"], "|".join(dict.fromkeys(plain)), "|".join(dict.fromkeys(cased))])

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        f.write("# Generated by scripts/skills/generate.py from O*NET 29.2, ESCO v1 and GitHub Linguist; see NOTICE.\n")
        f.write("# id\tname\tcategory\tsource\taliases\tcased\n")
        for r in rows:
            if any("\t" in c or "\n" in c for c in r):
                sys.exit(f"bad cell in {r}")
            f.write("\t".join(r) + "\n")
    print(f"{len(rows)} skills, {sum(len(r[4].split('|')) if r[4] else 0 for r in rows)} aliases -> {out}")


if __name__ == "__main__":
    main()

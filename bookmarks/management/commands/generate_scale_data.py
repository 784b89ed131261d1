"""Synthetic companies, users and bookmarks for load tests, added with bulk inserts and removable in one command."""

import random
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from bookmarks.models import Bookmark, BookmarkStage
from companies.models import Category, Company, CompBasis, Outlook, Role, search_columns
from core.cache import clear_pages
from market.models import Edition

# Every synthetic row carries this prefix in its slug or username; nothing else uses it.
SYNTHETIC_PREFIX = "synthetic-"
BATCH_SIZE = 5_000

FOCUS = [
    "LLM inference platform",
    "Retrieval and search",
    "Agents for customer support",
    "Evaluation and safety tooling",
    "Multi-modal models",
    "Fine-tuning infrastructure",
    "Developer tools for AI",
    "Speech and audio AI",
]
WANTS = [
    "Production experience",
    "Strong ML fundamentals",
    "Distributed systems background",
    "Open-source contributions",
    "Product sensibility",
    "Data pipeline experience",
]
WORDS = [
    "Arc", "Beacon", "Cobalt", "Delta", "Ember", "Flux", "Granite", "Harbor", "Iris", "Juniper",
    "Kite", "Lumen", "Meridian", "Nimbus", "Orbit", "Pilot", "Quartz", "Relay", "Summit", "Tensor",
]  # fmt: skip
STAGES = BookmarkStage.values


def synthetic_companies():
    return Company.objects.filter(slug__startswith=SYNTHETIC_PREFIX)


def synthetic_users():
    return get_user_model().objects.filter(username__startswith=SYNTHETIC_PREFIX)


def _company_slug(n):
    return f"{SYNTHETIC_PREFIX}{n:07d}"


def _column_defaults(model, **values):
    """The concrete fields of ``model`` but its primary key, and a database-ready value for each.

    ``values`` override the model's defaults (by field name; a foreign key takes the related row's id).
    """
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    row = {}
    for field in fields:
        value = values[field.name] if field.name in values else field.get_default()
        row[field.name] = field.get_db_prep_save(value, connection)
    return fields, row


def analyze_tables():
    """Refresh the planner's statistics (and PostgreSQL's visibility map) after a bulk load, as autovacuum
    would a little later: without them the first queries plan for empty tables."""
    models = [Company, Company.roles.through, Bookmark, get_user_model()]
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in models)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            cursor.execute(f"VACUUM (ANALYZE) {tables}")
        elif connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {tables}")
        else:
            cursor.execute("ANALYZE")
    return len(models)


def insert_rows(model, field_names, rows):
    """Insert tuples of database-ready values into ``model``'s table: COPY on PostgreSQL, executemany elsewhere.

    A million bookmarks as model instances spend minutes in Python; as tuples they take seconds.
    """
    fields = [model._meta.get_field(name) for name in field_names]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    prepared = iter(rows)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in prepared:
                    copy.write_row(row)
                    count += 1
            return count
        placeholders = ", ".join(["%s"] * len(fields))
        for batch in _batches(prepared):
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", batch)
            count += len(batch)
    return count


def _batches(rows, size=BATCH_SIZE):
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


class Command(BaseCommand):
    help = (
        "Add synthetic companies, users and bookmarks for load tests (slugs and usernames start with "
        f"'{SYNTHETIC_PREFIX}'), or remove them all with --remove."
    )

    def add_arguments(self, parser):
        parser.add_argument("--companies", type=int, default=0, help="Synthetic companies to add.")
        parser.add_argument("--users", type=int, default=0, help="Synthetic users to add.")
        parser.add_argument(
            "--bookmarks",
            type=int,
            default=0,
            help="Bookmarks to spread evenly over the synthetic users, on published companies.",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed, so two runs build the same data.")
        parser.add_argument("--remove", action="store_true", help="Remove every synthetic row and add nothing.")

    def handle(self, *args, companies, users, bookmarks, seed, remove, **options):
        self.verbosity = options["verbosity"]
        started = time.perf_counter()
        if remove:
            counts = self.remove()
            self.stdout.write(
                self.style.SUCCESS(
                    "Removed {companies} synthetic companies, {users} users and {bookmarks} bookmarks "
                    "in {seconds:.1f}s.".format(seconds=time.perf_counter() - started, **counts)
                )
            )
            return
        if min(companies, users, bookmarks) < 0:
            raise CommandError("Counts must be zero or more.")
        if bookmarks and not users and not synthetic_users().exists():
            raise CommandError("Bookmarks need synthetic users: pass --users.")
        rng = random.Random(seed)
        with transaction.atomic():
            added_companies = self.timed("companies", self.add_companies, companies, rng)
            added_users = self.timed("users", self.add_users, users)
            added_bookmarks = self.timed("bookmarks", self.add_bookmarks, bookmarks)
        if added_companies or added_users or added_bookmarks:
            self.timed("tables analysed", analyze_tables)
        clear_pages()
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {added_companies} synthetic companies, {added_users} users and {added_bookmarks} bookmarks "
                f"in {time.perf_counter() - started:.1f}s."
            )
        )

    def timed(self, what, step, *args):
        started = time.perf_counter()
        added = step(*args)
        if self.verbosity > 1:
            self.stdout.write(f"  {added} {what} in {time.perf_counter() - started:.1f}s")
        return added

    def add_companies(self, count, rng):
        if not count:
            return 0
        edition = Edition.objects.filter(is_current=True).first()
        if edition is None:
            raise CommandError("No current edition: run `manage.py load_edition` first.")
        categories = list(Category.objects.all()) or [
            Category.objects.create(name="Synthetic companies", slug=f"{SYNTHETIC_PREFIX}category", position=99)
        ]
        role_ids = list(Role.objects.values_list("pk", flat=True)) or [
            Role.objects.create(name="Synthetic Engineer", slug=f"{SYNTHETIC_PREFIX}engineer").pk
        ]
        start = synthetic_companies().count()
        outlooks = [Outlook.NONE] * 8 + [Outlook.GROWING, Outlook.STABLE]
        now = timezone.now()
        # Every column gets its model default, so fields added later need no change here.
        fields, template = _column_defaults(
            Company,
            edition=edition.pk,
            as_of=edition.published_on,
            last_verified=edition.published_on,
            source="Synthetic data for load tests",
            created_at=now,
            updated_at=now,
        )
        names = [field.name for field in fields]
        added = 0
        for numbers in _batches(range(start + 1, start + count + 1)):
            rows = []
            for n in numbers:
                low = rng.randrange(90, 300) * 1000
                has_range = rng.random() < 0.9
                row = dict(
                    template,
                    name=f"{rng.choice(WORDS)} {rng.choice(WORDS)} AI {n:07d}",
                    slug=_company_slug(n),
                    category=categories[n % len(categories)].pk,
                    focus=rng.choice(FOCUS),
                    wants=rng.choice(WANTS),
                    comp_min=low if has_range else None,
                    comp_max=low + rng.randrange(20, 250) * 1000 if has_range else None,
                    comp_basis=rng.choice(CompBasis.values),
                    comp_open_ended=has_range and rng.random() < 0.2,
                    outlook=rng.choice(outlooks),
                    position=n % 1000,
                    is_published=rng.random() < 0.98,
                )
                row.update(
                    search_columns(row["name"], row["focus"], row["wants"], row["outlook_note"], row["comp_note"])
                )
                rows.append(tuple(row[name] for name in names))
            added += insert_rows(Company, names, rows)
            new_ids = synthetic_companies().filter(slug__range=(_company_slug(numbers[0]), _company_slug(numbers[-1])))
            links = [
                (company_id, role_id)
                for company_id in new_ids.order_by("pk").values_list("pk", flat=True)
                for role_id in rng.sample(role_ids, k=min(len(role_ids), rng.randint(1, 3)))
            ]
            insert_rows(Company.roles.through, ["company", "role"], links)
        return added

    def add_users(self, count):
        if not count:
            return 0
        User = get_user_model()
        start = synthetic_users().count()
        password = make_password(None)  # unusable: nobody signs in as a synthetic user
        added = 0
        for numbers in _batches(range(start + 1, start + count + 1)):
            rows = [User(username=f"{SYNTHETIC_PREFIX}user-{n:07d}", password=password) for n in numbers]
            added += len(User.objects.bulk_create(rows, batch_size=BATCH_SIZE))
        return added

    def add_bookmarks(self, count):
        """Spread ``count`` bookmarks evenly over the synthetic users, each user on distinct companies."""
        if not count:
            return 0
        company_ids = list(Company.objects.published().order_by("pk").values_list("pk", flat=True))
        user_ids = list(synthetic_users().order_by("pk").values_list("pk", flat=True))
        per_user, extra = divmod(count, len(user_ids))
        if per_user + (1 if extra else 0) > len(company_ids):
            raise CommandError(
                f"{count} bookmarks over {len(user_ids)} users is more than one per user and company "
                f"({len(company_ids)} published companies)."
            )
        # Users that already have bookmarks keep them; new ones start after the companies they hold.
        taken = dict(
            Bookmark.objects.filter(user_id__in=user_ids)
            .values("user_id")
            .annotate(n=Count("pk"))
            .values_list("user_id", "n")
        )
        if taken and max(taken.values()) + per_user + 1 > len(company_ids):
            raise CommandError("Not enough companies left for more bookmarks per user; remove the data first.")

        now = timezone.now()
        fields, template = _column_defaults(Bookmark, created_at=now, updated_at=now)
        names = [field.name for field in fields]

        def rows():
            for index, user_id in enumerate(user_ids):
                wanted = per_user + (1 if index < extra else 0)
                first = taken.get(user_id, 0)
                # A stride per user spreads bookmarks over the whole table instead of the first companies.
                offset = (index * 7_919) % len(company_ids)
                for j in range(first, first + wanted):
                    template.update(
                        user=user_id,
                        company=company_ids[(offset + j) % len(company_ids)],
                        stage=STAGES[(index + j) % len(STAGES)],
                    )
                    yield tuple(template[name] for name in names)

        return insert_rows(Bookmark, names, rows())

    def remove(self):
        """Delete synthetic rows with plain DELETE statements: no per-row signals or history for a million rows."""
        companies = synthetic_companies()
        users = synthetic_users()
        through = Company.roles.through
        with transaction.atomic():
            bookmarks = Bookmark.all_objects.filter(user__in=users.values("pk"))
            removed_bookmarks = bookmarks._raw_delete(bookmarks.db)
            on_companies = Bookmark.all_objects.filter(company__in=companies.values("pk"))
            removed_bookmarks += on_companies._raw_delete(on_companies.db)
            links = through.objects.filter(company__in=companies.values("pk"))
            links._raw_delete(links.db)
            # Change history exists only for synthetic rows an editor touched; it goes with them.
            Company.history.filter(slug__startswith=SYNTHETIC_PREFIX).delete()
            removed_companies = companies._raw_delete(companies.db)
            removed_users = users.delete()[1].get(users.model._meta.label, 0)
            Role.objects.filter(slug__startswith=SYNTHETIC_PREFIX, companies__isnull=True).delete()
            Category.objects.filter(slug__startswith=SYNTHETIC_PREFIX, companies__isnull=True).delete()
        clear_pages()
        return {"companies": removed_companies, "users": removed_users, "bookmarks": removed_bookmarks}

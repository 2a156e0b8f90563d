"""What the benchmarks share: the database they measure on."""


def ensure_database() -> None:
    """Create the database DATABASE_URL names, when it does not exist yet."""
    from django.db import connection
    from django.db.utils import OperationalError

    try:
        connection.ensure_connection()
        return
    except OperationalError as error:
        if "does not exist" not in str(error):
            raise
    import psycopg2
    from psycopg2 import sql

    settings = connection.settings_dict
    admin = psycopg2.connect(
        dbname="postgres",
        user=settings["USER"],
        password=settings["PASSWORD"],
        host=settings["HOST"],
        port=settings["PORT"] or None,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(settings["NAME"])))
    admin.close()
    print(f"created database {settings['NAME']}")

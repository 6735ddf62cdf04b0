<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>ConnectionTest</name>
    <message>
        <source>Connecting…</source>
        <translation>Verbinde…</translation>
    </message>
    <message>
        <source>Connected: %1</source>
        <translation>Verbunden: %1</translation>
    </message>
    <message>
        <source>PostgreSQL %1.%2, %3, data checksums %4</source>
        <translation>PostgreSQL %1.%2, %3, Datenprüfsummen %4</translation>
    </message>
    <message>
        <source>standby</source>
        <translation>Standby</translation>
    </message>
    <message>
        <source>primary</source>
        <translation>Primärserver</translation>
    </message>
    <message>
        <source>on</source>
        <translation>an</translation>
    </message>
    <message>
        <source>off</source>
        <translation>aus</translation>
    </message>
</context>
<context>
    <name>MetricStore</name>
    <message>
        <source>record a metric sample</source>
        <translation>eine Messung speichern</translation>
    </message>
    <message>
        <source>compact metric samples</source>
        <translation>Messungen verdichten</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>Enter the access key ID and the secret access key for %1 (they are kept in the keychain).</source>
        <translation>Geben Sie die Zugriffsschlüssel-ID und den geheimen Zugriffsschlüssel für %1 ein (sie werden im Schlüsselbund gespeichert).</translation>
    </message>
    <message>
        <source>the keychain (server %1)</source>
        <translation>Schlüsselbund (Server %1)</translation>
    </message>
    <message>
        <source>Opening %1</source>
        <translation>%1 wird geöffnet</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Abgebrochen.</translation>
    </message>
    <message>
        <source>Writing, reading back and removing a probe object</source>
        <translation>Ein Testobjekt wird geschrieben, zurückgelesen und entfernt</translation>
    </message>
    <message>
        <source>%1 returned other bytes than were written to it.</source>
        <translation>%1 lieferte andere Bytes zurück, als hineingeschrieben wurden.</translation>
    </message>
    <message>
        <source>write, read and remove took %1 ms</source>
        <translation>Schreiben, Lesen und Entfernen dauerten %1 ms</translation>
    </message>
    <message>
        <source>Reachable and writable; there is no repository yet, the first backup or archived WAL creates it (%1).</source>
        <translation>Erreichbar und beschreibbar; es gibt noch kein Repository, die erste Sicherung oder das erste archivierte WAL legt es an (%1).</translation>
    </message>
    <message>
        <source>Enter the passphrase of the encrypted repository %1 (it is kept in the keychain).</source>
        <translation>Geben Sie die Passphrase des verschlüsselten Repositorys %1 ein (sie wird im Schlüsselbund gespeichert).</translation>
    </message>
    <message>
        <source>the passphrase in the keychain (server %1)</source>
        <translation>die Passphrase im Schlüsselbund (Server %1)</translation>
    </message>
    <message>
        <source>the passphrase entered</source>
        <translation>die eingegebene Passphrase</translation>
    </message>
    <message>
        <source>%1 is not encrypted, but the server says it is: uncheck &quot;Encrypt the repository&quot;, or use a new repository (an existing one cannot be encrypted in place).</source>
        <translation>%1 ist nicht verschlüsselt, laut den Einstellungen des Servers aber schon: Entfernen Sie den Haken bei „Repository verschlüsseln“ oder verwenden Sie ein neues Repository (ein bestehendes lässt sich nicht nachträglich verschlüsseln).</translation>
    </message>
    <message>
        <source>Encrypted repository found and unlocked</source>
        <translation>Verschlüsseltes Repository gefunden und entsperrt</translation>
    </message>
    <message>
        <source>Repository found</source>
        <translation>Repository gefunden</translation>
    </message>
    <message>
        <source>%1, no servers in it yet (%2).</source>
        <translation>%1, noch ohne Server (%2).</translation>
    </message>
    <message numerus="yes">
        <source>%1 with %n server(s): %2 (%3).</source>
        <translation>
            <numerusform>%1, mit %n Server: %2 (%3).</numerusform>
            <numerusform>%1, mit %n Servern: %2 (%3).</numerusform>
        </translation>
    </message>
    <message>
        <source>Enter the new passphrase.</source>
        <translation>Geben Sie die neue Passphrase ein.</translation>
    </message>
    <message>
        <source>Changing the passphrase of %1 (the data is not re-encrypted)</source>
        <translation>Die Passphrase von %1 wird geändert (die Daten werden nicht neu verschlüsselt)</translation>
    </message>
    <message>
        <source>the passphrase in the keychain</source>
        <translation>die Passphrase im Schlüsselbund</translation>
    </message>
    <message>
        <source>the new passphrase</source>
        <translation>die neue Passphrase</translation>
    </message>
</context>
<context>
    <name>ScheduleStore</name>
    <message>
        <source>&quot;%1&quot; is not a task pgArchivist can schedule; choose one of: %2.</source>
        <translation>„%1“ ist keine Aufgabe, die pgArchivist planen kann; wählen Sie eine von: %2.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; never happens again, so the task would never run.</source>
        <translation>„%1“ tritt nie wieder ein, die Aufgabe liefe also nie.</translation>
    </message>
    <message>
        <source>A scheduled expiry needs a retention: keep the newest N backups, or what the last D days need, or both.</source>
        <translation>Ein geplantes Aufräumen braucht eine Aufbewahrung: die neuesten N Sicherungen, das, was die letzten D Tage brauchen, oder beides.</translation>
    </message>
    <message>
        <source>Retention counts cannot be negative.</source>
        <translation>Aufbewahrungsangaben können nicht negativ sein.</translation>
    </message>
    <message>
        <source>add a scheduled task</source>
        <translation>eine geplante Aufgabe hinzufügen</translation>
    </message>
    <message>
        <source>change scheduled task %1</source>
        <translation>die geplante Aufgabe %1 ändern</translation>
    </message>
    <message>
        <source>There is no scheduled task %1.</source>
        <translation>Es gibt keine geplante Aufgabe %1.</translation>
    </message>
    <message>
        <source>remove scheduled task %1</source>
        <translation>die geplante Aufgabe %1 entfernen</translation>
    </message>
    <message>
        <source>read scheduled task %1</source>
        <translation>die geplante Aufgabe %1 lesen</translation>
    </message>
    <message>
        <source>claim scheduled task %1</source>
        <translation>die geplante Aufgabe %1 übernehmen</translation>
    </message>
    <message>
        <source>&quot;%1&quot; cannot be stored: its normalized form &quot;%2&quot; does not read back.</source>
        <translation>„%1“ kann nicht gespeichert werden: seine normalisierte Form „%2“ lässt sich nicht wieder lesen.</translation>
    </message>
</context>
<context>
    <name>ServerDialog</name>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>How this server is shown in pgArchivist, e.g. &quot;orders-prod&quot;.</source>
        <translation>Wie dieser Server in pgArchivist heißt, z. B. „orders-prod“.</translation>
    </message>
    <message>
        <source>orders-prod</source>
        <translation>orders-prod</translation>
    </message>
    <message>
        <source>&amp;Group:</source>
        <translation>&amp;Gruppe:</translation>
    </message>
    <message>
        <source>A folder in the server list, e.g. &quot;Production&quot;. Leave empty for none.</source>
        <translation>Ein Ordner in der Serverliste, z. B. „Produktion“. Leer lassen für keinen.</translation>
    </message>
    <message>
        <source>&amp;Connection:</source>
        <translation>&amp;Verbindung:</translation>
    </message>
    <message>
        <source>A libpq connection string (&quot;host=db1 port=5432 user=postgres dbname=postgres&quot;), a URI (&quot;postgresql://user@db1/postgres&quot;) or a pg_service.conf entry (&quot;service=orders&quot;). sslmode and the other libpq settings are used as given.</source>
        <translation>Eine libpq-Verbindungszeichenkette („host=db1 port=5432 user=postgres dbname=postgres“), eine URI („postgresql://user@db1/postgres“) oder ein Eintrag aus pg_service.conf („service=orders“). sslmode und die anderen libpq-Einstellungen werden wie angegeben verwendet.</translation>
    </message>
    <message>
        <source>host=db1.example.com port=5432 user=postgres dbname=postgres</source>
        <translation>host=db1.example.com port=5432 user=postgres dbname=postgres</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Passwort:</translation>
    </message>
    <message>
        <source>Kept in the system keychain, never in a file or on a command line. Leave empty to use ~/.pgpass, a service file or another libpq method.</source>
        <translation>Wird im Schlüsselbund des Systems gespeichert, nie in einer Datei oder auf einer Befehlszeile. Leer lassen, um ~/.pgpass, eine Service-Datei oder eine andere libpq-Methode zu verwenden.</translation>
    </message>
    <message>
        <source>&amp;Repository:</source>
        <translation>&amp;Repository:</translation>
    </message>
    <message>
        <source>/var/lib/pgarchivist/repo</source>
        <translation>/var/lib/pgarchivist/repo</translation>
    </message>
    <message>
        <source>…</source>
        <translation>…</translation>
    </message>
    <message>
        <source>Choose the repository folder</source>
        <translation>Repository-Ordner wählen</translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation>Verbindung &amp;testen</translation>
    </message>
    <message>
        <source>Connect with these settings now and show what the server is (runs as a job; the window stays responsive).</source>
        <translation>Jetzt mit diesen Einstellungen verbinden und zeigen, was für ein Server es ist (läuft als Auftrag; das Fenster bleibt bedienbar).</translation>
    </message>
    <message>
        <source>The pgArchivist repository this server&apos;s backups and WAL go to: a folder, or s3://BUCKET/PREFIX on S3-compatible object storage (optional for now).</source>
        <translation>Das pgArchivist-Repository, in das die Sicherungen und das WAL dieses Servers gehen: ein Ordner oder s3://BUCKET/PREFIX auf S3-kompatiblem Objektspeicher (vorerst optional).</translation>
    </message>
    <message>
        <source>Object storage (S3)</source>
        <translation>Objektspeicher (S3)</translation>
    </message>
    <message>
        <source>&amp;Endpoint:</source>
        <translation>&amp;Endpunkt:</translation>
    </message>
    <message>
        <source>The store&apos;s address, e.g. https://minio.example.com:9000. Leave empty for Amazon S3 in the region below.</source>
        <translation>Die Adresse des Speichers, z. B. https://minio.example.com:9000. Leer lassen für Amazon S3 in der unten angegebenen Region.</translation>
    </message>
    <message>
        <source>https://s3.us-east-1.amazonaws.com</source>
        <translation>https://s3.us-east-1.amazonaws.com</translation>
    </message>
    <message>
        <source>Re&amp;gion:</source>
        <translation>Reg&amp;ion:</translation>
    </message>
    <message>
        <source>The region requests are signed for (us-east-1 when empty; most S3-compatible stores accept any).</source>
        <translation>Die Region, für die Anfragen signiert werden (us-east-1, wenn leer; die meisten S3-kompatiblen Speicher akzeptieren jede).</translation>
    </message>
    <message>
        <source>us-east-1</source>
        <translation>us-east-1</translation>
    </message>
    <message>
        <source>&amp;Path-style addressing (host/BUCKET/KEY)</source>
        <translation>A&amp;dressierung im Pfadstil (host/BUCKET/KEY)</translation>
    </message>
    <message>
        <source>Most S3-compatible stores need it; Amazon S3 prefers the bucket in the host name (unchecked).</source>
        <translation>Die meisten S3-kompatiblen Speicher brauchen sie; Amazon S3 bevorzugt den Bucket im Hostnamen (nicht angehakt).</translation>
    </message>
    <message>
        <source>&amp;Verify the TLS certificate</source>
        <translation>TLS-Zertifi&amp;kat prüfen</translation>
    </message>
    <message>
        <source>Turn off only for a test store with a self-signed certificate; better give its CA file below.</source>
        <translation>Nur für einen Testspeicher mit selbstsigniertem Zertifikat ausschalten; besser unten dessen CA-Datei angeben.</translation>
    </message>
    <message>
        <source>&amp;CA file:</source>
        <translation>&amp;CA-Datei:</translation>
    </message>
    <message>
        <source>A PEM file with the certificate authority of the store&apos;s TLS certificate (empty: the system&apos;s).</source>
        <translation>Eine PEM-Datei mit der Zertifizierungsstelle des TLS-Zertifikats des Speichers (leer: die des Systems).</translation>
    </message>
    <message>
        <source>Access &amp;key ID:</source>
        <translation>&amp;Zugriffsschlüssel-ID:</translation>
    </message>
    <message>
        <source>Kept in the system keychain with the secret, never in a file or on a command line.</source>
        <translation>Wird zusammen mit dem geheimen Schlüssel im Schlüsselbund des Systems gespeichert, nie in einer Datei oder auf einer Befehlszeile.</translation>
    </message>
    <message>
        <source>&amp;Secret access key:</source>
        <translation>Ge&amp;heimer Zugriffsschlüssel:</translation>
    </message>
    <message>
        <source>Kept in the system keychain. The database host&apos;s archive_command needs its own copy: in ~postgres/.aws/credentials, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY in the server&apos;s environment.</source>
        <translation>Wird im Schlüsselbund des Systems gespeichert. Das archive_command auf dem Datenbankrechner braucht eine eigene Kopie: in ~postgres/.aws/credentials oder als AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY in der Umgebung des Servers.</translation>
    </message>
    <message>
        <source>Test &amp;repository</source>
        <translation>Rep&amp;ository testen</translation>
    </message>
    <message>
        <source>Open the repository with these settings, then write, read back and remove a probe object (runs as a job).</source>
        <translation>Das Repository mit diesen Einstellungen öffnen, dann ein Testobjekt schreiben, zurücklesen und entfernen (läuft als Auftrag).</translation>
    </message>
    <message>
        <source>Encryption at rest</source>
        <translation>Verschlüsselung ruhender Daten</translation>
    </message>
    <message>
        <source>E&amp;ncrypt the repository</source>
        <translation>Repository ver&amp;schlüsseln</translation>
    </message>
    <message>
        <source>Everything stored is encrypted and authenticated (XChaCha20-Poly1305), so the storage provider reads nothing. A repository the app creates for this server is created encrypted; an existing one must have been made with repo-init --encrypt.</source>
        <translation>Alles Gespeicherte wird verschlüsselt und authentifiziert (XChaCha20-Poly1305), sodass der Speicheranbieter nichts lesen kann. Ein Repository, das die Anwendung für diesen Server anlegt, wird verschlüsselt angelegt; ein bestehendes muss mit repo-init --encrypt erstellt worden sein.</translation>
    </message>
    <message>
        <source>Pass&amp;phrase:</source>
        <translation>P&amp;assphrase:</translation>
    </message>
    <message>
        <source>Kept in the system keychain, never in a file or on a command line. Without it (or a key file slot) nothing in the repository can be read: keep a copy apart from the repository.</source>
        <translation>Wird im Schlüsselbund des Systems gespeichert, nie in einer Datei oder auf einer Befehlszeile. Ohne sie (oder einen Schlüsseldatei-Slot) lässt sich nichts im Repository lesen: Bewahren Sie eine Kopie getrennt vom Repository auf.</translation>
    </message>
    <message>
        <source>Passphrase &amp;file on the host:</source>
        <translation>Passphrase-Datei au&amp;f dem Datenbankrechner:</translation>
    </message>
    <message>
        <source>Where the database host keeps the same passphrase, readable by the server&apos;s OS user: archive_command and restore_command are given --passphrase-file with this path (never the passphrase).</source>
        <translation>Wo der Datenbankrechner dieselbe Passphrase ablegt, lesbar für den Betriebssystembenutzer des Servers: archive_command und restore_command erhalten --passphrase-file mit diesem Pfad (nie die Passphrase selbst).</translation>
    </message>
    <message>
        <source>/etc/pgarchivist/passphrase</source>
        <translation>/etc/pgarchivist/passphrase</translation>
    </message>
    <message>
        <source>&amp;Change passphrase…</source>
        <translation>Passphrase &amp;ändern…</translation>
    </message>
    <message>
        <source>Give the repository a new passphrase (repo-rekey: only its key slot changes, no data is re-encrypted). The database host&apos;s passphrase file must then be updated too.</source>
        <translation>Dem Repository eine neue Passphrase geben (repo-rekey: Nur sein Schlüssel-Slot ändert sich, keine Daten werden neu verschlüsselt). Danach muss auch die Passphrase-Datei auf dem Datenbankrechner aktualisiert werden.</translation>
    </message>
</context>
<context>
    <name>ServerImport</name>
    <message>
        <source>Could not open %1.</source>
        <translation>%1 konnte nicht geöffnet werden.</translation>
    </message>
    <message>
        <source>%1 is too large to be a server list.</source>
        <translation>%1 ist zu groß für eine Serverliste.</translation>
    </message>
    <message>
        <source>%1: the password in the service file was not imported; enter it in the server&apos;s settings to keep it in the keychain.</source>
        <translation>%1: Das Passwort aus der Service-Datei wurde nicht übernommen; geben Sie es in den Servereinstellungen ein, damit es im Schlüsselbund liegt.</translation>
    </message>
    <message>
        <source>%1: no connection settings, skipped.</source>
        <translation>%1: keine Verbindungseinstellungen, übersprungen.</translation>
    </message>
    <message>
        <source>%1 line %2: a section header must look like [name].</source>
        <translation>%1 Zeile %2: Ein Abschnittskopf muss wie [name] aussehen.</translation>
    </message>
    <message>
        <source>%1 line %2: expected key=value, found &quot;%3&quot;.</source>
        <translation>%1 Zeile %2: Schlüssel=Wert erwartet, „%3“ gefunden.</translation>
    </message>
    <message>
        <source>%1 line %2: a setting outside any [service] section.</source>
        <translation>%1 Zeile %2: eine Einstellung außerhalb eines [service]-Abschnitts.</translation>
    </message>
    <message>
        <source>%1 has no service entries.</source>
        <translation>%1 enthält keine Service-Einträge.</translation>
    </message>
    <message>
        <source>%1 is not valid JSON (at offset %2). Export it again from pgAdmin: Tools → Import/Export Servers.</source>
        <translation>%1 ist kein gültiges JSON (bei Position %2). Exportieren Sie die Datei erneut aus pgAdmin: Werkzeuge → Server importieren/exportieren.</translation>
    </message>
    <message>
        <source>%1 has no &quot;Servers&quot; object; it does not look like a pgAdmin servers export.</source>
        <translation>%1 hat kein „Servers“-Objekt; das sieht nicht nach einem pgAdmin-Serverexport aus.</translation>
    </message>
    <message>
        <source>Server %1: no name, skipped.</source>
        <translation>Server %1: kein Name, übersprungen.</translation>
    </message>
    <message>
        <source>%1: %2 Skipped.</source>
        <translation>%1: %2 Übersprungen.</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>PostgreSQL backup and point-in-time recovery</source>
        <translation>PostgreSQL-Sicherung und Wiederherstellung auf einen Zeitpunkt</translation>
    </message>
    <message>
        <source>Use this server registry file instead of the default.</source>
        <translation>Diese Serverregister-Datei statt der voreingestellten verwenden.</translation>
    </message>
    <message>
        <source>Do not offer a sandbox server when none is registered.</source>
        <translation>Keinen Sandbox-Server anbieten, wenn keiner eingetragen ist.</translation>
    </message>
    <message>
        <source>pgArchivist</source>
        <translation>pgArchivist</translation>
    </message>
</context>
<context>
    <name>pga::app::ArchivingService</name>
    <message>
        <source>Read archive settings of %1</source>
        <translation>Archiveinstellungen von %1 lesen</translation>
    </message>
    <message>
        <source>Configure archiving of %1</source>
        <translation>Archivierung von %1 einrichten</translation>
    </message>
    <message>
        <source>Applied; restart the server for it to take effect.</source>
        <translation>Übernommen; starten Sie den Server neu, damit es wirkt.</translation>
    </message>
    <message>
        <source>Applied and reloaded.</source>
        <translation>Übernommen und neu geladen.</translation>
    </message>
    <message>
        <source>Create sandbox server</source>
        <translation>Sandbox-Server anlegen</translation>
    </message>
    <message>
        <source>A sandbox already exists in %1; using it.</source>
        <translation>In %1 gibt es bereits eine Sandbox; sie wird verwendet.</translation>
    </message>
    <message>
        <source>Start sandbox server</source>
        <translation>Sandbox-Server starten</translation>
    </message>
    <message>
        <source>Starting the sandbox server</source>
        <translation>Der Sandbox-Server wird gestartet</translation>
    </message>
</context>
<context>
    <name>pga::app::AuditService</name>
    <message>
        <source>Apply fix %1 on %2</source>
        <translation>Korrektur %1 auf %2 anwenden</translation>
    </message>
    <message>
        <source>Audit configuration of %1</source>
        <translation>Konfiguration von %1 prüfen</translation>
    </message>
</context>
<context>
    <name>pga::app::BackupService</name>
    <message>
        <source>Back up %1</source>
        <translation>%1 sichern</translation>
    </message>
    <message>
        <source>Verify backups of %1</source>
        <translation>Sicherungen von %1 prüfen</translation>
    </message>
    <message>
        <source>Verify backup %1</source>
        <translation>Sicherung %1 prüfen</translation>
    </message>
    <message>
        <source>Expire preview for %1</source>
        <translation>Vorschau zum Ablaufen für %1</translation>
    </message>
    <message>
        <source>Expire backups of %1</source>
        <translation>Sicherungen von %1 ablaufen lassen</translation>
    </message>
    <message numerus="yes">
        <source>Verify found problems in %n backup(s); see the log.</source>
        <translation>
            <numerusform>Die Prüfung fand Probleme in %n Sicherung; siehe Protokoll.</numerusform>
            <numerusform>Die Prüfung fand Probleme in %n Sicherungen; siehe Protokoll.</numerusform>
        </translation>
    </message>
    <message>
        <source>Restore drill of %1</source>
        <translation>Wiederherstellungsprobe von %1</translation>
    </message>
    <message>
        <source>The drill was cancelled; its copy was removed.</source>
        <translation>Die Probe wurde abgebrochen; ihre Kopie wurde entfernt.</translation>
    </message>
    <message>
        <source>The drill failed at %1: %2</source>
        <translation>Die Probe scheiterte bei %1: %2</translation>
    </message>
    <message>
        <source>server log kept as %1</source>
        <translation>Serverprotokoll aufbewahrt als %1</translation>
    </message>
</context>
<context>
    <name>pga::app::BlunderService</name>
    <message>
        <source>Find blunders of %1</source>
        <translation>Fehlgriffe auf %1 suchen</translation>
    </message>
    <message>
        <source>Plan undo of transaction %1</source>
        <translation>Rückgängigmachen von Transaktion %1 planen</translation>
    </message>
    <message>
        <source>Undo transaction %1</source>
        <translation>Transaktion %1 rückgängig machen</translation>
    </message>
</context>
<context>
    <name>pga::app::DumpService</name>
    <message>
        <source>Dump %1</source>
        <translation>Dump von %1</translation>
    </message>
    <message>
        <source>Restore dump %1</source>
        <translation>Dump %1 wiederherstellen</translation>
    </message>
    <message>
        <source>Cold backup of %1</source>
        <translation>Kaltsicherung von %1</translation>
    </message>
</context>
<context>
    <name>pga::app::JobRunner</name>
    <message>
        <source>Cancelled before it started.</source>
        <translation>Abgebrochen, bevor er begann.</translation>
    </message>
    <message>
        <source>The job stopped on an internal error.</source>
        <translation>Der Auftrag wurde durch einen internen Fehler beendet.</translation>
    </message>
    <message>
        <source>Cancel requested.</source>
        <translation>Abbruch angefordert.</translation>
    </message>
</context>
<context>
    <name>pga::app::RestoreService</name>
    <message>
        <source>Plan a restore of %1</source>
        <translation>Wiederherstellung von %1 planen</translation>
    </message>
    <message>
        <source>Restore %1 into %2</source>
        <translation>%1 nach %2 wiederherstellen</translation>
    </message>
    <message>
        <source>Removed the incomplete %1.</source>
        <translation>Das unvollständige %1 wurde entfernt.</translation>
    </message>
    <message>
        <source>The restored instance is not running, so there is nothing to connect to.</source>
        <translation>Die wiederhergestellte Instanz läuft nicht; es gibt nichts, womit man sich verbinden könnte.</translation>
    </message>
    <message>
        <source>speeds measured on this host</source>
        <translation>auf diesem Rechner gemessene Geschwindigkeiten</translation>
    </message>
    <message>
        <source>restore speed measured on this host, replay assumed</source>
        <translation>Wiederherstellung auf diesem Rechner gemessen, Einspielen angenommen</translation>
    </message>
</context>
<context>
    <name>pga::app::SecretStore</name>
    <message>
        <source>the system keychain did not answer within %1 s</source>
        <translation>der Schlüsselbund des Systems hat nicht innerhalb von %1 s geantwortet</translation>
    </message>
    <message>
        <source>no system keychain is available (%1)</source>
        <translation>kein Schlüsselbund verfügbar (%1)</translation>
    </message>
    <message>
        <source>the system keychain refused access (%1)</source>
        <translation>der Schlüsselbund des Systems hat den Zugriff verweigert (%1)</translation>
    </message>
    <message>
        <source>the system keychain failed (%1)</source>
        <translation>der Schlüsselbund des Systems ist fehlgeschlagen (%1)</translation>
    </message>
    <message>
        <source>Could not read the password: %1. Enter it again; it will be kept in memory until pgArchivist quits.</source>
        <translation>Das Passwort konnte nicht gelesen werden: %1. Geben Sie es erneut ein; es bleibt im Speicher, bis pgArchivist beendet wird.</translation>
    </message>
    <message>
        <source>Could not remove the password from the keychain: %1.</source>
        <translation>Das Passwort konnte nicht aus dem Schlüsselbund entfernt werden: %1.</translation>
    </message>
</context>
<context>
    <name>pga::app::ServerRegistry</name>
    <message>
        <source>The server registry was damaged and could not be read (%1). It was kept as %2; a new, empty registry was started.</source>
        <translation>Das Serverregister war beschädigt und konnte nicht gelesen werden (%1). Es wurde als %2 aufbewahrt; ein neues, leeres Register wurde angelegt.</translation>
    </message>
    <message>
        <source>The server registry %1 is damaged.</source>
        <translation>Das Serverregister %1 ist beschädigt.</translation>
    </message>
    <message>
        <source>The server registry %1 was written by a newer pgArchivist (schema %2, this one knows %3). Update pgArchivist; the file was left as it is.</source>
        <translation>Das Serverregister %1 wurde von einem neueren pgArchivist geschrieben (Schema %2, diese Version kennt %3). Aktualisieren Sie pgArchivist; die Datei blieb unverändert.</translation>
    </message>
    <message>
        <source>start a migration</source>
        <translation>eine Migration starten</translation>
    </message>
    <message>
        <source>upgrade the schema to version %1</source>
        <translation>das Schema auf Version %1 aktualisieren</translation>
    </message>
    <message>
        <source>read server %1</source>
        <translation>Server %1 lesen</translation>
    </message>
    <message>
        <source>There is no registered server with id %1.</source>
        <translation>Es gibt keinen eingetragenen Server mit der Kennung %1.</translation>
    </message>
    <message>
        <source>There is no registered server named &apos;%1&apos;. Add it in pgArchivist or pass --conninfo.</source>
        <translation>Es gibt keinen eingetragenen Server namens „%1“. Tragen Sie ihn in pgArchivist ein oder geben Sie --conninfo an.</translation>
    </message>
    <message>
        <source>Give the server a name.</source>
        <translation>Geben Sie dem Server einen Namen.</translation>
    </message>
    <message>
        <source>The server name is too long (at most 200 characters).</source>
        <translation>Der Servername ist zu lang (höchstens 200 Zeichen).</translation>
    </message>
    <message>
        <source>Enter how to connect: a conninfo such as &quot;host=db1 user=postgres&quot;, a URI, or &quot;service=NAME&quot;.</source>
        <translation>Geben Sie an, wie verbunden wird: eine Verbindungszeichenkette wie „host=db1 user=postgres“, eine URI oder „service=NAME“.</translation>
    </message>
    <message>
        <source>Remove the password from the connection string; enter it in the Password field, which keeps it in the system keychain.</source>
        <translation>Entfernen Sie das Passwort aus der Verbindungszeichenkette; geben Sie es im Feld „Passwort“ ein, das es im Schlüsselbund des Systems ablegt.</translation>
    </message>
    <message>
        <source>A server named &apos;%1&apos; is already registered.</source>
        <translation>Ein Server namens „%1“ ist bereits eingetragen.</translation>
    </message>
    <message>
        <source>The server registry is not open.</source>
        <translation>Das Serverregister ist nicht geöffnet.</translation>
    </message>
    <message>
        <source>save server &apos;%1&apos;</source>
        <translation>Server „%1“ speichern</translation>
    </message>
    <message>
        <source>Server &apos;%1&apos; was removed meanwhile.</source>
        <translation>Server „%1“ wurde inzwischen entfernt.</translation>
    </message>
    <message>
        <source>remove server %1</source>
        <translation>Server %1 entfernen</translation>
    </message>
    <message>
        <source>record job &apos;%1&apos;</source>
        <translation>Auftrag „%1“ protokollieren</translation>
    </message>
    <message>
        <source>record an audit of server %1</source>
        <translation>eine Prüfung von Server %1 speichern</translation>
    </message>
    <message>
        <source>read job %1</source>
        <translation>Auftrag %1 lesen</translation>
    </message>
    <message>
        <source>There is no job %1 in the history.</source>
        <translation>Es gibt keinen Auftrag %1 im Verlauf.</translation>
    </message>
    <message>
        <source>read the schema version</source>
        <translation>die Schemaversion lesen</translation>
    </message>
    <message>
        <source>Give the S3 endpoint as https://HOST[:PORT] (or http:// for a store on this network).</source>
        <translation>Geben Sie den S3-Endpunkt als https://HOST[:PORT] an (oder http:// für einen Speicher in diesem Netzwerk).</translation>
    </message>
</context>
<context>
    <name>pga::app::StandbyService</name>
    <message>
        <source>Create a standby of %1</source>
        <translation>Einen Standby von %1 anlegen</translation>
    </message>
    <message>
        <source>Check %1 before promoting</source>
        <translation>%1 vor dem Hochstufen prüfen</translation>
    </message>
    <message>
        <source>Promote %1</source>
        <translation>%1 hochstufen</translation>
    </message>
    <message>
        <source>Switch back onto %1</source>
        <translation>Auf %1 zurückwechseln</translation>
    </message>
    <message>
        <source>Stop %1 before %2</source>
        <translation>%1 vor %2 anhalten</translation>
    </message>
</context>
<context>
    <name>pga::gui::ArchiveStatusWidget</name>
    <message numerus="yes">
        <source>%n second(s) ago</source>
        <translation>
            <numerusform>vor %n Sekunde</numerusform>
            <numerusform>vor %n Sekunden</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s) ago</source>
        <translation>
            <numerusform>vor %n Minute</numerusform>
            <numerusform>vor %n Minuten</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s) ago</source>
        <translation>
            <numerusform>vor %n Stunde</numerusform>
            <numerusform>vor %n Stunden</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) ago</source>
        <translation>
            <numerusform>vor %n Tag</numerusform>
            <numerusform>vor %n Tagen</numerusform>
        </translation>
    </message>
    <message>
        <source>WAL archive</source>
        <translation>WAL-Archiv</translation>
    </message>
    <message>
        <source>Configure &amp;Archiving…</source>
        <translation>&amp;Archivierung einrichten…</translation>
    </message>
    <message>
        <source>Repository:</source>
        <translation>Repository:</translation>
    </message>
    <message>
        <source>Last archived:</source>
        <translation>Zuletzt archiviert:</translation>
    </message>
    <message>
        <source>Archive lag:</source>
        <translation>Archivrückstand:</translation>
    </message>
    <message>
        <source>Gaps:</source>
        <translation>Lücken:</translation>
    </message>
    <message>
        <source>Recoverable window:</source>
        <translation>Wiederherstellbarer Zeitraum:</translation>
    </message>
    <message>
        <source>Set archive_command so this server archives its WAL into its repository (ALTER SYSTEM and a reload; shows the exact SQL and asks first)</source>
        <translation>archive_command so setzen, dass dieser Server sein WAL in sein Repository archiviert (ALTER SYSTEM und Neuladen; zeigt vorher das genaue SQL und fragt nach)</translation>
    </message>
    <message>
        <source>none — set a repository in the server&apos;s settings (Server → Edit Server) to archive into it</source>
        <translation>keines — legen Sie in den Servereinstellungen (Server → Server bearbeiten) ein Repository fest, um dorthin zu archivieren</translation>
    </message>
    <message>
        <source>reading…</source>
        <translation>wird gelesen…</translation>
    </message>
    <message>
        <source>nothing archived yet</source>
        <translation>noch nichts archiviert</translation>
    </message>
    <message>
        <source>cannot read the repository: %1</source>
        <translation>das Repository kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>%1 of WAL not yet archived (server at %2, archive up to %3)</source>
        <translation>%1 WAL noch nicht archiviert (Server bei %2, Archiv bis %3)</translation>
    </message>
    <message>
        <source>none: the archive holds everything up to the server&apos;s current WAL position</source>
        <translation>keiner: das Archiv enthält alles bis zur aktuellen WAL-Position des Servers</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message numerus="yes">
        <source>%n missing segment(s): %1</source>
        <translation>
            <numerusform>%n fehlendes Segment: %1</numerusform>
            <numerusform>%n fehlende Segmente: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>from %1 to %2 (LSN %3 to %4)</source>
        <translation>von %1 bis %2 (LSN %3 bis %4)</translation>
    </message>
    <message>
        <source>none yet: take a base backup to start one</source>
        <translation>noch keiner: eine Basissicherung beginnt ihn</translation>
    </message>
    <message>
        <source>Run this on %1?

%2;
SELECT pg_reload_conf();</source>
        <translation>Dies auf %1 ausführen?

%2;
SELECT pg_reload_conf();</translation>
    </message>
    <message>
        <source>wal_level and archive_mode take effect only after a restart of the server.</source>
        <translation>wal_level und archive_mode wirken erst nach einem Neustart des Servers.</translation>
    </message>
    <message>
        <source>Configure Archiving</source>
        <translation>Archivierung einrichten</translation>
    </message>
    <message>
        <source>&amp;Recover to a Moment…</source>
        <translation>Zu einem &amp;Zeitpunkt wiederherstellen…</translation>
    </message>
    <message>
        <source>Point-in-time recovery into a new directory or a scratch instance: pick the moment on the recovery timeline (a wizard)</source>
        <translation>Point-in-Time-Recovery in ein neues Verzeichnis oder eine Wegwerf-Instanz: den Zeitpunkt auf der Wiederherstellungs-Zeitleiste wählen (ein Assistent)</translation>
    </message>
    <message>
        <source>RPO:</source>
        <translation>RPO:</translation>
    </message>
    <message>
        <source>What a loss of the server now would lose: the age of the newest archived WAL</source>
        <translation>Was ein Verlust des Servers jetzt kosten würde: das Alter des neuesten archivierten WAL</translation>
    </message>
    <message>
        <source>RTO to the end of WAL:</source>
        <translation>RTO bis zum WAL-Ende:</translation>
    </message>
    <message>
        <source>How long a restore from the newest backup to the end of the archived WAL takes, at this host&apos;s measured speeds</source>
        <translation>Wie lange eine Wiederherstellung von der neuesten Sicherung bis zum Ende des archivierten WAL dauert, bei den auf diesem Rechner gemessenen Geschwindigkeiten</translation>
    </message>
    <message>
        <source>Timeline:</source>
        <translation>Zeitleiste:</translation>
    </message>
    <message>
        <source>about %1 (%2 to restore from backup %3, %4 of WAL to replay; %5)</source>
        <translation>etwa %1 (%2 aus Sicherung %3 wiederherzustellen, %4 WAL einzuspielen; %5)</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <source>%1: the newest archived WAL arrived %2</source>
        <translation>%1: das neueste archivierte WAL kam %2 an</translation>
    </message>
    <message>
        <source>not measured yet: a restore on this host (the restore wizard, or restore --start) measures it</source>
        <translation>noch nicht gemessen: eine Wiederherstellung auf diesem Rechner (der Assistent oder restore --start) misst sie</translation>
    </message>
    <message>
        <source>WAL receiver:</source>
        <translation>WAL-Empfänger:</translation>
    </message>
    <message>
        <source>pgarchivist-cli wal-receive streaming into this repository: the archive then lags the server by seconds</source>
        <translation>pgarchivist-cli wal-receive streamt in dieses Repository: Das Archiv liegt dann nur Sekunden hinter dem Server</translation>
    </message>
    <message>
        <source>Replication:</source>
        <translation>Replikation:</translation>
    </message>
    <message>
        <source>This server&apos;s standbys and receivers (pg_stat_replication), or its primary</source>
        <translation>Die Standbys und Empfänger dieses Servers (pg_stat_replication) oder sein Primärserver</translation>
    </message>
    <message>
        <source>%1 s: WAL is streamed into the repository (%2 behind the server)</source>
        <translation>%1 s: WAL wird ins Repository gestreamt (%2 hinter dem Server)</translation>
    </message>
    <message>
        <source>none — &apos;pgarchivist-cli wal-receive&apos; streams WAL here for an RPO of seconds</source>
        <translation>keiner — „pgarchivist-cli wal-receive“ streamt WAL hierher, für ein RPO von Sekunden</translation>
    </message>
    <message>
        <source>streaming from %1%2, durable to %3 (%4 behind, %5 s)</source>
        <translation>streamt von %1%2, dauerhaft gesichert bis %3 (%4 Rückstand, %5 s)</translation>
    </message>
    <message>
        <source> without a slot</source>
        <translation> ohne Slot</translation>
    </message>
    <message>
        <source>, slot %1</source>
        <translation>, Slot %1</translation>
    </message>
    <message>
        <source>%1 since %2, durable to %3%4</source>
        <translation>%1 seit %2, dauerhaft gesichert bis %3%4</translation>
    </message>
    <message>
        <source>reconnecting</source>
        <translation>verbindet sich neu</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>gestoppt</translation>
    </message>
    <message>
        <source>a standby fed from the archive</source>
        <translation>ein aus dem Archiv gespeister Standby</translation>
    </message>
    <message>
        <source>a standby of %1</source>
        <translation>ein Standby von %1</translation>
    </message>
    <message>
        <source>, delayed by %1</source>
        <translation>, um %1 verzögert</translation>
    </message>
    <message>
        <source>%1 from %2: %3, %4, replay %5 behind%6</source>
        <translation>%1 von %2: %3, %4, Einspielrückstand %5%6</translation>
    </message>
    <message>
        <source>(unnamed)</source>
        <translation>(unbenannt)</translation>
    </message>
    <message>
        <source> (%1 s)</source>
        <translation> (%1 s)</translation>
    </message>
    <message>
        <source>no standbys</source>
        <translation>keine Standbys</translation>
    </message>
    <message>
        <source>Stop &amp;Before…</source>
        <translation>Anhalten &amp;vor…</translation>
    </message>
    <message>
        <source>This delayed replica has received commits it has not applied yet (the amber band on the timeline): promote it just before a blunder among them</source>
        <translation>Dieses verzögerte Replikat hat Commits empfangen, die es noch nicht angewendet hat (das bernsteinfarbene Band auf der Zeitleiste): es kurz vor einem Fehlgriff darunter hochstufen</translation>
    </message>
    <message>
        <source>, replay caught up</source>
        <translation>, Einspielen aufgeholt</translation>
    </message>
    <message>
        <source>, replay %1 behind%2</source>
        <translation>, Einspielen %1 im Rückstand%2</translation>
    </message>
    <message>
        <source> (last replayed commit %1 s ago)</source>
        <translation> (letzte eingespielte Transaktion vor %1 s)</translation>
    </message>
</context>
<context>
    <name>pga::gui::BackupsModel</name>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <source>usable</source>
        <translation>verwendbar</translation>
    </message>
    <message>
        <source>WAL missing</source>
        <translation>WAL fehlt</translation>
    </message>
    <message>
        <source>damaged</source>
        <translation>beschädigt</translation>
    </message>
    <message>
        <source>Started %1, finished %2</source>
        <translation>Begonnen %1, beendet %2</translation>
    </message>
    <message>
        <source>Bytes this backup added to the repository; unchanged data is shared with earlier backups.</source>
        <translation>Bytes, die diese Sicherung dem Repository hinzugefügt hat; unveränderte Daten teilt sie mit früheren Sicherungen.</translation>
    </message>
    <message>
        <source>Backup</source>
        <translation>Sicherung</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>Bezeichnung</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Begonnen</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>Zeitleiste</translation>
    </message>
    <message>
        <source>WAL range</source>
        <translation>WAL-Bereich</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Stored</source>
        <translation>Gespeichert</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>%1 format%2</source>
        <translation>Format %1%2</translation>
    </message>
    <message>
        <source>, with roles</source>
        <translation>, mit Rollen</translation>
    </message>
    <message>
        <source>checkpoint %1</source>
        <translation>Checkpoint %1</translation>
    </message>
    <message>
        <source>Bytes stored for this dump (zstd-compressed)</source>
        <translation>Für diesen Dump gespeicherte Bytes (zstd-komprimiert)</translation>
    </message>
    <message>
        <source>A logical dump (pg_dump): restore it into any server with Restore Dump…</source>
        <translation>Ein logischer Dump (pg_dump): mit „Dump wiederherstellen…“ in einen beliebigen Server wiederherstellen</translation>
    </message>
    <message>
        <source>The files of the cluster while it was shut down: restores as it was, nothing to replay</source>
        <translation>Die Dateien des Clusters im heruntergefahrenen Zustand: wird so wiederhergestellt, wie er war, ohne etwas einzuspielen</translation>
    </message>
    <message>
        <source>An online base backup: restores to any moment the WAL after it reaches</source>
        <translation>Eine Online-Basissicherung: lässt sich auf jeden Zeitpunkt wiederherstellen, den das nachfolgende WAL erreicht</translation>
    </message>
    <message>
        <source>dump</source>
        <translation>Dump</translation>
    </message>
    <message>
        <source>cold</source>
        <translation>kalt</translation>
    </message>
    <message>
        <source>base</source>
        <translation>Basis</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
</context>
<context>
    <name>pga::gui::BackupsView</name>
    <message>
        <source>Back Up &amp;Now</source>
        <translation>&amp;Jetzt sichern</translation>
    </message>
    <message>
        <source>Take a full base backup over the replication protocol into the repository, as a job (progress and Cancel in the Jobs panel)</source>
        <translation>Eine vollständige Basissicherung über das Replikationsprotokoll ins Repository schreiben, als Auftrag (Fortschritt und Abbruch in der Auftragsliste)</translation>
    </message>
    <message>
        <source>&amp;Verify</source>
        <translation>&amp;Prüfen</translation>
    </message>
    <message>
        <source>Read back every chunk of the selected backup (or all) and check the WAL it needs</source>
        <translation>Jeden Block der gewählten Sicherung (oder aller) zurücklesen und das benötigte WAL prüfen</translation>
    </message>
    <message>
        <source>&amp;Expire…</source>
        <translation>&amp;Ablaufen lassen…</translation>
    </message>
    <message>
        <source>Remove backups beyond the retention below, then the WAL and chunks nothing needs; shows what would go first</source>
        <translation>Sicherungen jenseits der Aufbewahrung unten entfernen, dann WAL und Blöcke, die nichts mehr braucht; zeigt vorher, was wegfiele</translation>
    </message>
    <message>
        <source>Backups</source>
        <translation>Sicherungen</translation>
    </message>
    <message>
        <source>Keep this many newest backups (--retain-full)</source>
        <translation>So viele neueste Sicherungen behalten (--retain-full)</translation>
    </message>
    <message>
        <source>off</source>
        <translation>aus</translation>
    </message>
    <message>
        <source> days</source>
        <translation> Tage</translation>
    </message>
    <message>
        <source>Also keep what is needed to recover to any moment of the last N days (--retain-days)</source>
        <translation>Außerdem behalten, was zur Wiederherstellung auf jeden Moment der letzten N Tage nötig ist (--retain-days)</translation>
    </message>
    <message>
        <source>The same action from a shell or a schedule</source>
        <translation>Dieselbe Aktion aus einer Shell oder einem Zeitplan</translation>
    </message>
    <message>
        <source>Keep:</source>
        <translation>Behalten:</translation>
    </message>
    <message>
        <source>backups and</source>
        <translation>Sicherungen und</translation>
    </message>
    <message>
        <source>Command line:</source>
        <translation>Befehlszeile:</translation>
    </message>
    <message>
        <source>This server has no repository yet: set one in Server → Edit Server.</source>
        <translation>Dieser Server hat noch kein Repository: legen Sie eines fest unter Server → Server bearbeiten.</translation>
    </message>
    <message>
        <source>Backing up… (progress and Cancel in the Jobs panel)</source>
        <translation>Sicherung läuft… (Fortschritt und Abbruch in der Auftragsliste)</translation>
    </message>
    <message>
        <source>Backup %1 done: %2 of data, %3 newly stored.</source>
        <translation>Sicherung %1 fertig: %2 Daten, %3 neu gespeichert.</translation>
    </message>
    <message>
        <source>Backup cancelled; nothing of it is visible in the repository.</source>
        <translation>Sicherung abgebrochen; nichts davon ist im Repository sichtbar.</translation>
    </message>
    <message>
        <source>Backup failed: %1</source>
        <translation>Sicherung fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Verify did not finish: %1</source>
        <translation>Die Prüfung wurde nicht beendet: %1</translation>
    </message>
    <message numerus="yes">
        <source>Verified %n backup(s): every chunk and the WAL they need are intact.</source>
        <translation>
            <numerusform>%n Sicherung geprüft: jeder Block und das benötigte WAL sind unversehrt.</numerusform>
            <numerusform>%n Sicherungen geprüft: jeder Block und das benötigte WAL sind unversehrt.</numerusform>
        </translation>
    </message>
    <message>
        <source>Problems found: %1</source>
        <translation>Gefundene Probleme: %1</translation>
    </message>
    <message>
        <source>Expire preview failed: %1</source>
        <translation>Die Vorschau zum Ablaufen ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Nothing to expire: every backup is within the retention.</source>
        <translation>Nichts läuft ab: jede Sicherung liegt innerhalb der Aufbewahrung.</translation>
    </message>
    <message>
        <source>Expire on %1 would remove:

backups: %2
WAL files: %3 (%4)
chunks no backup needs: %5 (%6)

It keeps: %7

Remove them now?</source>
        <translation>Das Ablaufen auf %1 würde entfernen:

Sicherungen: %2
WAL-Dateien: %3 (%4)
Blöcke, die keine Sicherung braucht: %5 (%6)

Es bleiben: %7

Jetzt entfernen?</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>Expire Backups</source>
        <translation>Sicherungen ablaufen lassen</translation>
    </message>
    <message numerus="yes">
        <source>Expired %n backup(s); %1 freed.</source>
        <translation>
            <numerusform>%n Sicherung abgelaufen; %1 frei geworden.</numerusform>
            <numerusform>%n Sicherungen abgelaufen; %1 frei geworden.</numerusform>
        </translation>
    </message>
    <message>
        <source>Expire failed: %1</source>
        <translation>Ablaufen fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>&amp;Restore…</source>
        <translation>&amp;Wiederherstellen…</translation>
    </message>
    <message>
        <source>Restore the selected backup, or recover to any moment, into a new directory (a wizard)</source>
        <translation>Die gewählte Sicherung wiederherstellen oder zu einem beliebigen Zeitpunkt, in ein neues Verzeichnis (ein Assistent)</translation>
    </message>
    <message>
        <source>Restore This Backup…</source>
        <translation>Diese Sicherung wiederherstellen…</translation>
    </message>
    <message>
        <source>Verify This Backup</source>
        <translation>Diese Sicherung prüfen</translation>
    </message>
    <message>
        <source>&amp;Schedules…</source>
        <translation>&amp;Zeitpläne…</translation>
    </message>
    <message>
        <source>Back up, verify, expire and test-restore this server on a schedule</source>
        <translation>Diesen Server nach Zeitplan sichern, prüfen, aufräumen und probeweise wiederherstellen</translation>
    </message>
    <message>
        <source>Test-Restore This Backup (Drill)</source>
        <translation>Diese Sicherung probeweise wiederherstellen (Probe)</translation>
    </message>
    <message>
        <source>Restore it into a scratch directory, start it, replay the WAL, check it with pg_amcheck, count rows, remove it; the timings feed the RTO estimate</source>
        <translation>In ein Arbeitsverzeichnis wiederherstellen, starten, das WAL einspielen, mit pg_amcheck prüfen, Zeilen zählen, entfernen; die Zeiten fließen in die RTO-Schätzung ein</translation>
    </message>
    <message>
        <source>Drill running: restore, replay, pg_amcheck, row counts (see the Jobs panel).</source>
        <translation>Probe läuft: Wiederherstellen, Einspielen, pg_amcheck, Zeilenzählung (siehe Aufträge).</translation>
    </message>
    <message>
        <source> The copy&apos;s server log: %1</source>
        <translation> Das Serverprotokoll der Kopie: %1</translation>
    </message>
    <message>
        <source>The drill did not run: %1</source>
        <translation>Die Probe lief nicht: %1</translation>
    </message>
    <message>
        <source>&amp;Drill</source>
        <translation>&amp;Probe</translation>
    </message>
    <message>
        <source>Test-restore the selected backup (or the newest): restore into a scratch directory, start it, replay, check with pg_amcheck, count rows, remove it</source>
        <translation>Die gewählte (oder neueste) Sicherung probeweise wiederherstellen: in ein Arbeitsverzeichnis wiederherstellen, starten, einspielen, mit pg_amcheck prüfen, Zeilen zählen, entfernen</translation>
    </message>
    <message>
        <source>D&amp;ump…</source>
        <translation>&amp;Dump…</translation>
    </message>
    <message>
        <source>Dump databases with pg_dump (the version matched to the server) into the repository, with the roles</source>
        <translation>Datenbanken mit pg_dump (in der zum Server passenden Version) samt Rollen ins Repository sichern</translation>
    </message>
    <message>
        <source>Restore Dum&amp;p…</source>
        <translation>D&amp;ump wiederherstellen…</translation>
    </message>
    <message>
        <source>Restore the selected dump, or parts of it, into a database of any server</source>
        <translation>Den gewählten Dump ganz oder teilweise in eine Datenbank eines beliebigen Servers wiederherstellen</translation>
    </message>
    <message>
        <source>&amp;Cold Backup…</source>
        <translation>&amp;Kaltsicherung…</translation>
    </message>
    <message>
        <source>Copy the files of this cluster while it is stopped (local clusters only)</source>
        <translation>Die Dateien dieses Clusters kopieren, während er gestoppt ist (nur lokale Cluster)</translation>
    </message>
    <message>
        <source>All kinds</source>
        <translation>Alle Arten</translation>
    </message>
    <message>
        <source>Base backups</source>
        <translation>Basissicherungen</translation>
    </message>
    <message>
        <source>Cold backups</source>
        <translation>Kaltsicherungen</translation>
    </message>
    <message>
        <source>Dumps</source>
        <translation>Dumps</translation>
    </message>
    <message>
        <source>Show one kind of backup only</source>
        <translation>Nur eine Art von Sicherung zeigen</translation>
    </message>
    <message>
        <source>Restore This Dump…</source>
        <translation>Diesen Dump wiederherstellen…</translation>
    </message>
    <message>
        <source>Select a dump in the list first (Kind: dump)</source>
        <translation>Wählen Sie zuerst einen Dump in der Liste (Art: Dump)</translation>
    </message>
    <message>
        <source>Dumping… (progress and Cancel in the Jobs panel)</source>
        <translation>Dump läuft… (Fortschritt und Abbruch in der Auftragsliste)</translation>
    </message>
    <message numerus="yes">
        <source>Dump %1 done: %n database(s), %2 stored.</source>
        <translation>
            <numerusform>Dump %1 fertig: %n Datenbank, %2 gespeichert.</numerusform>
            <numerusform>Dump %1 fertig: %n Datenbanken, %2 gespeichert.</numerusform>
        </translation>
    </message>
    <message>
        <source>Dump cancelled; nothing of it is in the repository.</source>
        <translation>Dump abgebrochen; nichts davon ist im Repository.</translation>
    </message>
    <message>
        <source>Dump failed: %1</source>
        <translation>Dump fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Cold backup running… (progress and Cancel in the Jobs panel)</source>
        <translation>Kaltsicherung läuft… (Fortschritt und Abbruch in der Auftragsliste)</translation>
    </message>
    <message>
        <source>Cold backup %1 done: %2 of files, %3 newly stored.</source>
        <translation>Kaltsicherung %1 fertig: %2 Dateien, %3 neu gespeichert.</translation>
    </message>
    <message>
        <source>Cold backup failed: %1</source>
        <translation>Kaltsicherung fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>Anzeigen:</translation>
    </message>
</context>
<context>
    <name>pga::gui::BlundersModel</name>
    <message>
        <source>DROP TABLE</source>
        <translation>DROP TABLE</translation>
    </message>
    <message>
        <source>TRUNCATE</source>
        <translation>TRUNCATE</translation>
    </message>
    <message>
        <source>DROP DATABASE</source>
        <translation>DROP DATABASE</translation>
    </message>
    <message>
        <source>DELETE</source>
        <translation>DELETE</translation>
    </message>
    <message>
        <source>UPDATE</source>
        <translation>UPDATE</translation>
    </message>
    <message>
        <source>Estimated from the planner&apos;s statistics in the last catalog snapshot and the WAL since</source>
        <translation>Geschätzt aus den Statistiken des Planers im letzten Katalog-Schnappschuss und dem WAL seither</translation>
    </message>
    <message>
        <source>Committed at LSN %1 on timeline %2</source>
        <translation>Festgeschrieben bei LSN %1 auf Timeline %2</translation>
    </message>
    <message>
        <source>Committed</source>
        <translation>Festgeschrieben</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Datenbank</translation>
    </message>
    <message>
        <source>Objects</source>
        <translation>Objekte</translation>
    </message>
    <message>
        <source>Rows</source>
        <translation>Zeilen</translation>
    </message>
    <message>
        <source>Transaction</source>
        <translation>Transaktion</translation>
    </message>
</context>
<context>
    <name>pga::gui::BlundersView</name>
    <message>
        <source>&amp;Between</source>
        <translation>&amp;Zwischen</translation>
    </message>
    <message>
        <source>&amp;Scan WAL</source>
        <translation>WAL &amp;durchsuchen</translation>
    </message>
    <message>
        <source>&amp;Restore to Just Before…</source>
        <translation>&amp;Bis kurz davor wiederherstellen…</translation>
    </message>
    <message>
        <source>&amp;Undo…</source>
        <translation>&amp;Rückgängig machen…</translation>
    </message>
    <message>
        <source>All kinds</source>
        <translation>Alle Arten</translation>
    </message>
    <message>
        <source>Show one kind of blunder</source>
        <translation>Nur eine Art von Fehlgriff zeigen</translation>
    </message>
    <message>
        <source>DELETE/UPDATE from </source>
        <translation>DELETE/UPDATE ab </translation>
    </message>
    <message>
        <source> rows</source>
        <translation> Zeilen</translation>
    </message>
    <message>
        <source>A DELETE or UPDATE counts as a blunder from this many rows in one transaction</source>
        <translation>Ein DELETE oder UPDATE gilt ab so vielen Zeilen in einer Transaktion als Fehlgriff</translation>
    </message>
    <message>
        <source>Only blunders committed in this range (local time, zone shown)</source>
        <translation>Nur Fehlgriffe, die in diesem Zeitraum festgeschrieben wurden (Ortszeit, mit angezeigter Zone)</translation>
    </message>
    <message>
        <source>Read the archived WAL again (new segments only; the rest comes from the scan cache)</source>
        <translation>Das archivierte WAL erneut lesen (nur neue Segmente; der Rest kommt aus dem Scan-Cache)</translation>
    </message>
    <message>
        <source>Open the restore wizard at this transaction, stopping just before it</source>
        <translation>Den Wiederherstellungsassistenten bei dieser Transaktion öffnen, mit Halt kurz vor ihr</translation>
    </message>
    <message>
        <source>Bring back what this transaction destroyed, into new tables of the live server</source>
        <translation>Zurückholen, was diese Transaktion zerstört hat, in neue Tabellen des laufenden Servers</translation>
    </message>
    <message>
        <source>Select a blunder to see what its transaction did.</source>
        <translation>Wählen Sie einen Fehlgriff, um zu sehen, was seine Transaktion getan hat.</translation>
    </message>
    <message>
        <source>and</source>
        <translation>und</translation>
    </message>
    <message>
        <source>%1 archives into no repository: there is no WAL to read.</source>
        <translation>%1 archiviert in kein Repository: Es gibt kein WAL zu lesen.</translation>
    </message>
    <message>
        <source>Reading the archived WAL of %1…</source>
        <translation>Das archivierte WAL von %1 wird gelesen…</translation>
    </message>
    <message>
        <source>The WAL could not be read: %1</source>
        <translation>Das WAL konnte nicht gelesen werden: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n blunder(s) in %1 WAL files (%2 from the scan cache); names from %3 catalog snapshots%4.</source>
        <translation>
            <numerusform>%n Fehlgriff in %1 WAL-Dateien (%2 aus dem Scan-Cache); Namen aus %3 Katalog-Schnappschüssen%4.</numerusform>
            <numerusform>%n Fehlgriffe in %1 WAL-Dateien (%2 aus dem Scan-Cache); Namen aus %3 Katalog-Schnappschüssen%4.</numerusform>
        </translation>
    </message>
    <message>
        <source>, the newest %1</source>
        <translation>, der neueste vom %1</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;%1&lt;/b&gt; by transaction %2, committed %3 (LSN %4, timeline %5) in database &lt;b&gt;%6&lt;/b&gt;.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;%1&lt;/b&gt; durch Transaktion %2, festgeschrieben um %3 (LSN %4, Timeline %5) in der Datenbank &lt;b&gt;%6&lt;/b&gt;.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>: %1 rows%2</source>
        <translation>: %1 Zeilen%2</translation>
    </message>
    <message>
        <source> (estimated)</source>
        <translation> (geschätzt)</translation>
    </message>
    <message>
        <source>&lt;p&gt;The statements themselves are not in the WAL; this is what the transaction changed:&lt;/p&gt;</source>
        <translation>&lt;p&gt;Die Anweisungen selbst stehen nicht im WAL; das hat die Transaktion geändert:&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;No other rows.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Keine weiteren Zeilen.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Table</source>
        <translation>Tabelle</translation>
    </message>
    <message>
        <source>Inserted</source>
        <translation>Eingefügt</translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation>Gelöscht</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>Geändert</translation>
    </message>
    <message>
        <source> (new file)</source>
        <translation> (neue Datei)</translation>
    </message>
    <message>
        <source> (file removed)</source>
        <translation> (Datei entfernt)</translation>
    </message>
</context>
<context>
    <name>pga::gui::CalendarModel</name>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <source>%1%2 backup %3 (%4)</source>
        <translation>%1%2 Sicherung %3 (%4)</translation>
    </message>
    <message>
        <source>%1backup %2 expires under the retention</source>
        <translation>%1Sicherung %2 fällt unter die Aufbewahrung und wird entfernt</translation>
    </message>
    <message>
        <source>%1 %2 %3: %4</source>
        <translation>%1 %2 %3: %4</translation>
    </message>
    <message>
        <source>%1 %2 %3</source>
        <translation>%1 %2 %3</translation>
    </message>
    <message>
        <source>%1 %2 %3 in %4</source>
        <translation>%1 %2 %3 in %4</translation>
    </message>
    <message>
        <source>%1 planned: %2</source>
        <translation>%1 geplant: %2</translation>
    </message>
    <message>
        <source>%1 planned: %2 (%3 runs this day)</source>
        <translation>%1 geplant: %2 (%3 Läufe an diesem Tag)</translation>
    </message>
    <message>
        <source>%1 WAL missing before this arrival: recovery cannot pass the gap</source>
        <translation>%1 WAL fehlt vor dieser Ankunft: die Wiederherstellung kommt nicht über die Lücke</translation>
    </message>
    <message>
        <source>recoverable all day</source>
        <translation>den ganzen Tag wiederherstellbar</translation>
    </message>
    <message>
        <source>recoverable part of the day</source>
        <translation>einen Teil des Tages wiederherstellbar</translation>
    </message>
    <message>
        <source>not recoverable</source>
        <translation>nicht wiederherstellbar</translation>
    </message>
    <message>
        <source>%1%2 dump %3 of %4 (%5)</source>
        <translation>%1%2 Dump %3 von %4 (%5)</translation>
    </message>
    <message>
        <source>%1%2 cold backup %3 (%4)</source>
        <translation>%1%2 Kaltsicherung %3 (%4)</translation>
    </message>
</context>
<context>
    <name>pga::gui::CalendarView</name>
    <message>
        <source>&lt;span style=&apos;color:#2e7d32&apos;&gt;●&lt;/span&gt; backup &amp;nbsp; &lt;span style=&apos;color:#c01c28&apos;&gt;●&lt;/span&gt; failed &amp;nbsp; &lt;span style=&apos;color:#336791&apos;&gt;○&lt;/span&gt; planned &amp;nbsp; &lt;b&gt;V&lt;/b&gt; verify &amp;nbsp; &lt;b&gt;D&lt;/b&gt; drill &amp;nbsp; &lt;b&gt;✕&lt;/b&gt; expires under the retention &amp;nbsp; &lt;b&gt;⚡&lt;/b&gt; WAL gap &amp;nbsp; &lt;span style=&apos;background:#dff0d8&apos;&gt;&amp;nbsp;green&amp;nbsp;&lt;/span&gt; recoverable all day &amp;nbsp; &lt;span style=&apos;color:#c01c28&apos;&gt;red frame&lt;/span&gt;: something failed</source>
        <translation>&lt;span style=&apos;color:#2e7d32&apos;&gt;●&lt;/span&gt; Sicherung &amp;nbsp; &lt;span style=&apos;color:#c01c28&apos;&gt;●&lt;/span&gt; fehlgeschlagen &amp;nbsp; &lt;span style=&apos;color:#336791&apos;&gt;○&lt;/span&gt; geplant &amp;nbsp; &lt;b&gt;V&lt;/b&gt; Prüfung &amp;nbsp; &lt;b&gt;D&lt;/b&gt; Probe &amp;nbsp; &lt;b&gt;✕&lt;/b&gt; wird durch die Aufbewahrung entfernt &amp;nbsp; &lt;b&gt;⚡&lt;/b&gt; WAL-Lücke &amp;nbsp; &lt;span style=&apos;background:#dff0d8&apos;&gt;&amp;nbsp;grün&amp;nbsp;&lt;/span&gt; den ganzen Tag wiederherstellbar &amp;nbsp; &lt;span style=&apos;color:#c01c28&apos;&gt;roter Rahmen&lt;/span&gt;: etwas ist fehlgeschlagen</translation>
    </message>
    <message>
        <source>&amp;All servers</source>
        <translation>&amp;Alle Server</translation>
    </message>
    <message>
        <source>Backup calendar</source>
        <translation>Sicherungskalender</translation>
    </message>
    <message>
        <source>◀</source>
        <translation>◀</translation>
    </message>
    <message>
        <source>Previous month (Page Up)</source>
        <translation>Vorheriger Monat (Bild auf)</translation>
    </message>
    <message>
        <source>Previous month</source>
        <translation>Vorheriger Monat</translation>
    </message>
    <message>
        <source>▶</source>
        <translation>▶</translation>
    </message>
    <message>
        <source>Next month (Page Down)</source>
        <translation>Nächster Monat (Bild ab)</translation>
    </message>
    <message>
        <source>Next month</source>
        <translation>Nächster Monat</translation>
    </message>
    <message>
        <source>&amp;Today</source>
        <translation>&amp;Heute</translation>
    </message>
    <message>
        <source>This month, today selected (Home)</source>
        <translation>Dieser Monat, heute ausgewählt (Pos1)</translation>
    </message>
    <message>
        <source>Show every registered server&apos;s backups, runs and plans in one calendar</source>
        <translation>Sicherungen, Läufe und Pläne aller registrierten Server in einem Kalender zeigen</translation>
    </message>
    <message>
        <source>Open Job &amp;Log…</source>
        <translation>Auftrags&amp;protokoll öffnen…</translation>
    </message>
    <message>
        <source>&amp;Restore to This Day…</source>
        <translation>Auf diesen Tag &amp;wiederherstellen…</translation>
    </message>
    <message>
        <source>Open the restore wizard at the latest recoverable moment of the selected day</source>
        <translation>Den Wiederherstellungsassistenten beim spätesten wiederherstellbaren Zeitpunkt des gewählten Tages öffnen</translation>
    </message>
    <message>
        <source>%1 (%2): %3</source>
        <translation>%1 (%2): %3</translation>
    </message>
    <message>
        <source>recoverable all day</source>
        <translation>den ganzen Tag wiederherstellbar</translation>
    </message>
    <message>
        <source>recoverable part of the day</source>
        <translation>einen Teil des Tages wiederherstellbar</translation>
    </message>
    <message>
        <source>not recoverable</source>
        <translation>nicht wiederherstellbar</translation>
    </message>
    <message>
        <source>Job Log: %1</source>
        <translation>Auftragsprotokoll: %1</translation>
    </message>
    <message>
        <source>%1, %2 → %3
%4

%5</source>
        <translation>%1, %2 → %3
%4

%5</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>&amp;Schließen</translation>
    </message>
</context>
<context>
    <name>pga::gui::ChangesModel</name>
    <message>
        <source>hidden</source>
        <translation>verborgen</translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation>(leer)</translation>
    </message>
    <message>
        <source>Changed between the audit of %1 and the audit of %2.</source>
        <translation>Geändert zwischen der Prüfung vom %1 und der Prüfung vom %2.</translation>
    </message>
    <message>
        <source>%1:%2 (ALTER SYSTEM)</source>
        <translation>%1:%2 (ALTER SYSTEM)</translation>
    </message>
    <message>
        <source>Setting</source>
        <translation>Einstellung</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>Vorher</translation>
    </message>
    <message>
        <source>After</source>
        <translation>Nachher</translation>
    </message>
    <message>
        <source>Noticed</source>
        <translation>Bemerkt</translation>
    </message>
    <message>
        <source>Now set in</source>
        <translation>Jetzt gesetzt in</translation>
    </message>
</context>
<context>
    <name>pga::gui::ColdBackupDialog</name>
    <message>
        <source>Cold Backup of %1</source>
        <translation>Kaltsicherung von %1</translation>
    </message>
    <message>
        <source>only when outside the data directory, e.g. /etc/postgresql/15/main</source>
        <translation>nur wenn außerhalb des Datenverzeichnisses, z. B. /etc/postgresql/15/main</translation>
    </message>
    <message>
        <source>&amp;Back Up</source>
        <translation>&amp;Sichern</translation>
    </message>
    <message>
        <source>&lt;b&gt;The server must be stopped&lt;/b&gt; (pg_ctl stop, or systemctl stop postgresql@15-main). A running or crashed cluster is refused: its files are only consistent after a clean shutdown. Every file, every tablespace and the configuration directory go into the repository&apos;s chunk store; the copy restores as it was, with nothing to replay. While the server runs, use Back Up Now instead.</source>
        <translation>&lt;b&gt;Der Server muss gestoppt sein&lt;/b&gt; (pg_ctl stop oder systemctl stop postgresql@15-main). Ein laufender oder abgestürzter Cluster wird abgelehnt: Seine Dateien sind erst nach einem sauberen Herunterfahren konsistent. Jede Datei, jeder Tablespace und das Konfigurationsverzeichnis kommen in den Blockspeicher des Repositorys; die Kopie wird so wiederhergestellt, wie sie war, ohne etwas einzuspielen. Solange der Server läuft, verwenden Sie stattdessen „Jetzt sichern“.</translation>
    </message>
    <message>
        <source>&amp;Data directory:</source>
        <translation>&amp;Datenverzeichnis:</translation>
    </message>
    <message>
        <source>&amp;Configuration directory:</source>
        <translation>&amp;Konfigurationsverzeichnis:</translation>
    </message>
    <message>
        <source>Command line:</source>
        <translation>Befehlszeile:</translation>
    </message>
    <message>
        <source>Give the full path of the cluster&apos;s data directory on this machine</source>
        <translation>Den vollständigen Pfad des Datenverzeichnisses des Clusters auf diesem Rechner angeben</translation>
    </message>
</context>
<context>
    <name>pga::gui::ConfigurationView</name>
    <message>
        <source>Findings</source>
        <translation>Befunde</translation>
    </message>
    <message>
        <source>Archive-related settings</source>
        <translation>Archiv-Einstellungen</translation>
    </message>
    <message>
        <source>Setting changes between audits</source>
        <translation>Geänderte Einstellungen zwischen Prüfungen</translation>
    </message>
    <message>
        <source>Finding details</source>
        <translation>Details zum Befund</translation>
    </message>
    <message>
        <source>Show only findings of this severity or worse</source>
        <translation>Nur Befunde dieses oder eines höheren Schweregrads zeigen</translation>
    </message>
    <message>
        <source>All findings</source>
        <translation>Alle Befunde</translation>
    </message>
    <message>
        <source>Warnings and critical</source>
        <translation>Warnungen und kritische</translation>
    </message>
    <message>
        <source>Critical only</source>
        <translation>Nur kritische</translation>
    </message>
    <message>
        <source>Filter findings (id, title, value, SQL)</source>
        <translation>Befunde filtern (Kennung, Titel, Wert, SQL)</translation>
    </message>
    <message>
        <source>Show only findings whose id, title, values or SQL contain this text</source>
        <translation>Nur Befunde zeigen, deren Kennung, Titel, Werte oder SQL diesen Text enthalten</translation>
    </message>
    <message>
        <source>Archive settings</source>
        <translation>Archiv-Einstellungen</translation>
    </message>
    <message>
        <source>Changes between audits</source>
        <translation>Änderungen zwischen Prüfungen</translation>
    </message>
    <message>
        <source>Auditing the configuration…</source>
        <translation>Die Konfiguration wird geprüft …</translation>
    </message>
    <message>
        <source>The audit failed: %1</source>
        <translation>Die Prüfung ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Applied the fix for %1. PostgreSQL must still be restarted for it to take effect.</source>
        <translation>Die Korrektur für %1 wurde angewendet. PostgreSQL muss noch neu gestartet werden, damit sie wirkt.</translation>
    </message>
    <message>
        <source>Applied the fix for %1. PostgreSQL must still be restarted for it to take effect; waiting for a restart: %2.</source>
        <translation>Die Korrektur für %1 wurde angewendet. PostgreSQL muss noch neu gestartet werden, damit sie wirkt; auf einen Neustart warten: %2.</translation>
    </message>
    <message>
        <source>Applied the fix for %1; the server reloaded its configuration.</source>
        <translation>Die Korrektur für %1 wurde angewendet; der Server hat seine Konfiguration neu geladen.</translation>
    </message>
    <message>
        <source>Applied the fix for %1.</source>
        <translation>Die Korrektur für %1 wurde angewendet.</translation>
    </message>
    <message>
        <source>The fix for %1 was not applied: %2</source>
        <translation>Die Korrektur für %1 wurde nicht angewendet: %2</translation>
    </message>
    <message>
        <source>&amp;Run Audit</source>
        <translation>&amp;Prüfung starten</translation>
    </message>
    <message>
        <source>Audit the server&apos;s archive configuration now, as a job</source>
        <translation>Die Archivkonfiguration des Servers jetzt prüfen, als Auftrag</translation>
    </message>
    <message>
        <source>&amp;Apply Fix…</source>
        <translation>Korrektur &amp;anwenden …</translation>
    </message>
    <message>
        <source>Run the selected finding&apos;s SQL on the server, after showing it and asking</source>
        <translation>Das SQL des gewählten Befunds auf dem Server ausführen, nachdem es angezeigt und nachgefragt wurde</translation>
    </message>
    <message>
        <source>&amp;Copy SQL</source>
        <translation>SQL &amp;kopieren</translation>
    </message>
    <message>
        <source>Copy the selected finding&apos;s fix SQL to the clipboard</source>
        <translation>Das Korrektur-SQL des gewählten Befunds in die Zwischenablage kopieren</translation>
    </message>
    <message numerus="yes">
        <source>Last audit %1: %n finding(s)</source>
        <translation>
            <numerusform>Letzte Prüfung %1: %n Befund</numerusform>
            <numerusform>Letzte Prüfung %1: %n Befunde</numerusform>
        </translation>
    </message>
    <message>
        <source> (%1 critical, %2 warnings)</source>
        <translation> (%1 kritisch, %2 Warnungen)</translation>
    </message>
    <message>
        <source>Not audited yet. Run Audit (Ctrl+R) reads the archive settings; it changes nothing.</source>
        <translation>Noch nicht geprüft. „Prüfung starten“ (Strg+R) liest die Archiveinstellungen; es ändert nichts.</translation>
    </message>
    <message>
        <source>&lt;p&gt;Select a finding to see why it matters and how to fix it.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Wählen Sie einen Befund, um zu sehen, warum er wichtig ist und wie er sich beheben lässt.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Current:</source>
        <translation>Aktuell:</translation>
    </message>
    <message>
        <source>Recommended:</source>
        <translation>Empfohlen:</translation>
    </message>
    <message>
        <source>About:</source>
        <translation>Betrifft:</translation>
    </message>
    <message>
        <source>Takes effect after:</source>
        <translation>Wirksam nach:</translation>
    </message>
    <message>
        <source>&lt;p&gt;No SQL fixes this; the text above says what to do.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Kein SQL behebt dies; der Text oben sagt, was zu tun ist.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Fix:&lt;/b&gt;&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Korrektur:&lt;/b&gt;&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Fill in the placeholders (such as &amp;lt;repo&amp;gt;) before running it: copy the SQL, or set the server&apos;s repository (Edit Server) and audit again.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Füllen Sie die Platzhalter (etwa &amp;lt;repo&amp;gt;) aus, bevor Sie es ausführen: Kopieren Sie das SQL, oder tragen Sie das Repository des Servers ein (Server bearbeiten) und prüfen Sie erneut.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Select a finding first.</source>
        <translation>Wählen Sie zuerst einen Befund.</translation>
    </message>
    <message>
        <source>This finding has no SQL fix; its details say what to do.</source>
        <translation>Für diesen Befund gibt es keine SQL-Korrektur; seine Details sagen, was zu tun ist.</translation>
    </message>
    <message>
        <source>The fix has placeholders such as &lt;repo&gt; to fill in: copy the SQL and complete it, or set the server&apos;s repository in Edit Server and audit again.</source>
        <translation>Die Korrektur enthält Platzhalter wie &lt;repo&gt;: Kopieren und ergänzen Sie das SQL, oder tragen Sie unter „Server bearbeiten“ das Repository des Servers ein und prüfen Sie erneut.</translation>
    </message>
    <message>
        <source>An audit or a fix is running for this server.</source>
        <translation>Für diesen Server läuft gerade eine Prüfung oder Korrektur.</translation>
    </message>
    <message>
        <source>Run this on %1?

%2

</source>
        <translation>Dies auf %1 ausführen?

%2

</translation>
    </message>
    <message>
        <source>pgArchivist then reloads the configuration and audits again. This setting takes effect only after PostgreSQL is restarted, which pgArchivist leaves to you.</source>
        <translation>Danach lädt pgArchivist die Konfiguration neu und prüft erneut. Diese Einstellung wirkt erst nach einem Neustart von PostgreSQL, den pgArchivist Ihnen überlässt.</translation>
    </message>
    <message>
        <source>pgArchivist then reloads the configuration and audits again.</source>
        <translation>Danach lädt pgArchivist die Konfiguration neu und prüft erneut.</translation>
    </message>
    <message>
        <source>Apply Fix</source>
        <translation>Korrektur anwenden</translation>
    </message>
    <message>
        <source>Applying the fix for %1…</source>
        <translation>Die Korrektur für %1 wird angewendet …</translation>
    </message>
    <message>
        <source>Copied the SQL for %1.</source>
        <translation>Das SQL für %1 wurde kopiert.</translation>
    </message>
    <message numerus="yes">
        <source>; %n archive setting(s) changed since the previous audit</source>
        <translation>
            <numerusform>; %n Archiveinstellung seit der vorigen Prüfung geändert</numerusform>
            <numerusform>; %n Archiveinstellungen seit der vorigen Prüfung geändert</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>pga::gui::DatabaseListModel</name>
    <message>
        <source>Database</source>
        <translation>Datenbank</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
</context>
<context>
    <name>pga::gui::DestinationPage</name>
    <message>
        <source>A new &amp;data directory:</source>
        <translation>Ein neues &amp;Datenverzeichnis:</translation>
    </message>
    <message>
        <source>&amp;Start it and follow replay to the target</source>
        <translation>Server &amp;starten und das Einspielen bis zum Ziel verfolgen</translation>
    </message>
    <message>
        <source>Restore into where?</source>
        <translation>Wohin wiederherstellen?</translation>
    </message>
    <message>
        <source>The source server is not touched: the restore goes into a new directory.</source>
        <translation>Der Quellserver bleibt unberührt: die Wiederherstellung geht in ein neues Verzeichnis.</translation>
    </message>
    <message>
        <source>promote</source>
        <translation>hochstufen (promote)</translation>
    </message>
    <message>
        <source>pause</source>
        <translation>anhalten (pause)</translation>
    </message>
    <message>
        <source>shut down</source>
        <translation>herunterfahren (shutdown)</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>D&amp;urchsuchen…</translation>
    </message>
    <message>
        <source>At the &amp;target:</source>
        <translation>Am &amp;Ziel:</translation>
    </message>
    <message>
        <source>&amp;Owner (runs the server):</source>
        <translation>&amp;Eigentümer (betreibt den Server):</translation>
    </message>
    <message>
        <source>Promote: at the target the server ends recovery and accepts writes, on a new timeline.</source>
        <translation>Hochstufen: am Ziel beendet der Server die Wiederherstellung und nimmt Schreibzugriffe an, auf einer neuen Timeline.</translation>
    </message>
    <message>
        <source>Pause: the server stays read-only at the target until SELECT pg_wal_replay_resume() (which then promotes it); you can look before you decide.</source>
        <translation>Anhalten: der Server bleibt am Ziel schreibgeschützt bis SELECT pg_wal_replay_resume() (das ihn dann hochstuft); Sie können nachsehen, bevor Sie entscheiden.</translation>
    </message>
    <message>
        <source>Shut down: the server stops at the target; start it again to recover further or to promote.</source>
        <translation>Herunterfahren: der Server hält am Ziel an; starten Sie ihn erneut, um weiter wiederherzustellen oder hochzustufen.</translation>
    </message>
    <message>
        <source>Restore into</source>
        <translation>Wiederherstellen nach</translation>
    </message>
    <message>
        <source>A scratch &amp;instance under the app&apos;s data folder (%1)</source>
        <translation>Eine Wegwerf-&amp;Instanz im Datenordner der Anwendung (%1)</translation>
    </message>
    <message>
        <source>Choose the directory to restore into.</source>
        <translation>Wählen Sie das Verzeichnis, in das wiederhergestellt wird.</translation>
    </message>
    <message>
        <source>Give the directory as an absolute path.</source>
        <translation>Geben Sie das Verzeichnis als absoluten Pfad an.</translation>
    </message>
    <message>
        <source>%1 is not empty: restore into an empty or new directory.</source>
        <translation>%1 ist nicht leer: stellen Sie in ein leeres oder neues Verzeichnis wieder her.</translation>
    </message>
    <message>
        <source>%1 has %2 free, and the restore needs %3.</source>
        <translation>%1 hat %2 frei, und die Wiederherstellung braucht %3.</translation>
    </message>
    <message>
        <source>none: tablespaces go to their original locations</source>
        <translation>keine: Tablespaces kommen an ihre ursprünglichen Orte</translation>
    </message>
    <message>
        <source>OLD=NEW, separated by &apos;;&apos;: restore the tablespace that was at OLD into NEW. On the source&apos;s own host the original location is the live tablespace, so map it.</source>
        <translation>ALT=NEU, getrennt durch &apos;;&apos;: den Tablespace, der unter ALT lag, nach NEU wiederherstellen. Auf dem Rechner der Quelle ist der ursprüngliche Ort der laufende Tablespace; bilden Sie ihn also ab.</translation>
    </message>
    <message>
        <source>Tablespace &amp;mapping:</source>
        <translation>Tablespace-&amp;Abbildung:</translation>
    </message>
    <message>
        <source>Write each tablespace mapping as OLD=NEW with absolute paths, separated by &apos;;&apos; (got &apos;%1&apos;).</source>
        <translation>Schreiben Sie jede Tablespace-Abbildung als ALT=NEU mit absoluten Pfaden, getrennt durch &apos;;&apos; (erhalten: &apos;%1&apos;).</translation>
    </message>
</context>
<context>
    <name>pga::gui::DumpDialog</name>
    <message>
        <source>Roles and &amp;tablespaces (pg_dumpall --globals-only)</source>
        <translation>Rollen und &amp;Tablespaces (pg_dumpall --globals-only)</translation>
    </message>
    <message>
        <source>Dump %1</source>
        <translation>Dump von %1</translation>
    </message>
    <message>
        <source>Databases to dump</source>
        <translation>Zu sichernde Datenbanken</translation>
    </message>
    <message>
        <source>Space toggles the selected database</source>
        <translation>Die Leertaste schaltet die gewählte Datenbank um</translation>
    </message>
    <message>
        <source>Custom (pg_restore picks objects; recommended)</source>
        <translation>Custom (pg_restore kann Objekte auswählen; empfohlen)</translation>
    </message>
    <message>
        <source>Directory (parallel dump and restore)</source>
        <translation>Verzeichnis (paralleler Dump und parallele Wiederherstellung)</translation>
    </message>
    <message>
        <source>Plain SQL script (psql)</source>
        <translation>Einfaches SQL-Skript (psql)</translation>
    </message>
    <message>
        <source>pg_dump writes uncompressed; pgArchivist compresses with zstd as it streams into the repository</source>
        <translation>pg_dump schreibt unkomprimiert; pgArchivist komprimiert mit zstd, während die Daten ins Repository fließen</translation>
    </message>
    <message>
        <source>Parallel pg_dump workers (directory format only)</source>
        <translation>Parallele pg_dump-Prozesse (nur Verzeichnisformat)</translation>
    </message>
    <message>
        <source>all; or schema names, comma-separated</source>
        <translation>alle; oder Schemanamen, durch Kommas getrennt</translation>
    </message>
    <message>
        <source>all; or tables (patterns like sales.*), comma-separated</source>
        <translation>alle; oder Tabellen (Muster wie sales.*), durch Kommas getrennt</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>pgarchivist dump ID</source>
        <translation>Dump-ID von pgarchivist</translation>
    </message>
    <message>
        <source>The same dump from a shell or cron (the password comes from PGPASSWORD or ~/.pgpass there)</source>
        <translation>Derselbe Dump aus einer Shell oder per cron (das Passwort kommt dort aus PGPASSWORD oder ~/.pgpass)</translation>
    </message>
    <message>
        <source>Reading the server&apos;s databases…</source>
        <translation>Die Datenbanken des Servers werden gelesen…</translation>
    </message>
    <message>
        <source>&amp;Dump</source>
        <translation>&amp;Dump erstellen</translation>
    </message>
    <message>
        <source>Select &amp;all</source>
        <translation>&amp;Alle auswählen</translation>
    </message>
    <message>
        <source>Select n&amp;one</source>
        <translation>&amp;Keine auswählen</translation>
    </message>
    <message>
        <source>&amp;Format:</source>
        <translation>&amp;Format:</translation>
    </message>
    <message>
        <source>&amp;Jobs:</source>
        <translation>Parallele &amp;Prozesse:</translation>
    </message>
    <message>
        <source>Only &amp;schemas:</source>
        <translation>Nur &amp;Schemas:</translation>
    </message>
    <message>
        <source>Only t&amp;ables:</source>
        <translation>Nur Tab&amp;ellen:</translation>
    </message>
    <message>
        <source>E&amp;xclude tables:</source>
        <translation>Tabellen a&amp;usschließen:</translation>
    </message>
    <message>
        <source>&amp;Label:</source>
        <translation>&amp;Bezeichnung:</translation>
    </message>
    <message>
        <source>Command line:</source>
        <translation>Befehlszeile:</translation>
    </message>
    <message>
        <source>Databases of %1:</source>
        <translation>Datenbanken von %1:</translation>
    </message>
    <message>
        <source>Could not list the databases: %1</source>
        <translation>Die Datenbanken konnten nicht aufgelistet werden: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n database(s), %1 in all. The dump goes into the repository, published only when complete.</source>
        <translation>
            <numerusform>%n Datenbank, insgesamt %1. Der Dump kommt ins Repository und wird erst sichtbar, wenn er vollständig ist.</numerusform>
            <numerusform>%n Datenbanken, insgesamt %1. Der Dump kommt ins Repository und wird erst sichtbar, wenn er vollständig ist.</numerusform>
        </translation>
    </message>
    <message>
        <source>Check at least one database</source>
        <translation>Markieren Sie mindestens eine Datenbank</translation>
    </message>
</context>
<context>
    <name>pga::gui::FindingsModel</name>
    <message>
        <source>critical</source>
        <translation>kritisch</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>Warnung</translation>
    </message>
    <message>
        <source>info</source>
        <translation>Hinweis</translation>
    </message>
    <message>
        <source>reload</source>
        <translation>Neuladen</translation>
    </message>
    <message>
        <source>restart</source>
        <translation>Neustart</translation>
    </message>
    <message>
        <source>nothing more</source>
        <translation>nichts weiter</translation>
    </message>
    <message>
        <source>no SQL fix</source>
        <translation>keine SQL-Korrektur</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Schweregrad</translation>
    </message>
    <message>
        <source>Finding</source>
        <translation>Befund</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Titel</translation>
    </message>
    <message>
        <source>Current</source>
        <translation>Aktuell</translation>
    </message>
    <message>
        <source>Recommended</source>
        <translation>Empfohlen</translation>
    </message>
    <message>
        <source>Fix takes</source>
        <translation>Korrektur braucht</translation>
    </message>
</context>
<context>
    <name>pga::gui::ForecastModel</name>
    <message>
        <source>in %1 days</source>
        <translation>in %1 Tagen</translation>
    </message>
    <message>
        <source>%1 a month</source>
        <translation>%1 im Monat</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Wann</translation>
    </message>
    <message>
        <source>Repository</source>
        <translation>Repository</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>Kosten</translation>
    </message>
</context>
<context>
    <name>pga::gui::JobsModel</name>
    <message>
        <source>queued</source>
        <translation>wartet</translation>
    </message>
    <message>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <source>succeeded</source>
        <translation>erfolgreich</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <source>Job</source>
        <translation>Auftrag</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Fortschritt</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Begonnen</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Meldung</translation>
    </message>
</context>
<context>
    <name>pga::gui::JobsPanel</name>
    <message>
        <source>&amp;Cancel Job</source>
        <translation>Auftrag a&amp;bbrechen</translation>
    </message>
    <message>
        <source>C&amp;lear Finished</source>
        <translation>Beendete &amp;entfernen</translation>
    </message>
    <message>
        <source>Jobs</source>
        <translation>Aufträge</translation>
    </message>
    <message>
        <source>Select a job to see its log.</source>
        <translation>Wählen Sie einen Auftrag, um sein Protokoll zu sehen.</translation>
    </message>
    <message>
        <source>Stop the selected job. Work already made durable is kept; nothing half-written becomes visible.</source>
        <translation>Den gewählten Auftrag anhalten. Bereits dauerhaft Geschriebenes bleibt erhalten; nichts Halbfertiges wird sichtbar.</translation>
    </message>
    <message>
        <source>Remove finished jobs from this list (they stay in the history).</source>
        <translation>Beendete Aufträge aus dieser Liste entfernen (sie bleiben im Verlauf).</translation>
    </message>
</context>
<context>
    <name>pga::gui::MainWindow</name>
    <message>
        <source>Jobs</source>
        <translation>Aufträge</translation>
    </message>
    <message>
        <source>pgArchivist</source>
        <translation>pgArchivist</translation>
    </message>
    <message>
        <source>Servers</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>Hide this notice</source>
        <translation>Diesen Hinweis ausblenden</translation>
    </message>
    <message>
        <source>Passwords are kept in memory only until pgArchivist quits: %1.</source>
        <translation>Passwörter werden nur im Speicher gehalten, bis pgArchivist beendet wird: %1.</translation>
    </message>
    <message>
        <source>&amp;Add Server…</source>
        <translation>Server &amp;hinzufügen…</translation>
    </message>
    <message>
        <source>Register a PostgreSQL server</source>
        <translation>Einen PostgreSQL-Server eintragen</translation>
    </message>
    <message>
        <source>&amp;Edit Server…</source>
        <translation>Server &amp;bearbeiten…</translation>
    </message>
    <message>
        <source>Change the selected server&apos;s settings</source>
        <translation>Die Einstellungen des gewählten Servers ändern</translation>
    </message>
    <message>
        <source>&amp;Remove Server</source>
        <translation>Server &amp;entfernen</translation>
    </message>
    <message>
        <source>Remove the selected server from pgArchivist (the server and its backups are not touched)</source>
        <translation>Den gewählten Server aus pgArchivist entfernen (der Server und seine Sicherungen bleiben unberührt)</translation>
    </message>
    <message>
        <source>&amp;Test Connection</source>
        <translation>Verbindung &amp;testen</translation>
    </message>
    <message>
        <source>Connect to the selected server now, as a job</source>
        <translation>Jetzt mit dem gewählten Server verbinden, als Auftrag</translation>
    </message>
    <message>
        <source>Re&amp;fresh Status</source>
        <translation>Status a&amp;ktualisieren</translation>
    </message>
    <message>
        <source>Check every server&apos;s status now</source>
        <translation>Den Status aller Server jetzt prüfen</translation>
    </message>
    <message>
        <source>Create &amp;Sandbox Server</source>
        <translation>&amp;Sandbox-Server anlegen</translation>
    </message>
    <message>
        <source>Create a local PostgreSQL server with archiving enabled, for trying pgArchivist</source>
        <translation>Einen lokalen PostgreSQL-Server mit eingeschalteter Archivierung anlegen, um pgArchivist auszuprobieren</translation>
    </message>
    <message>
        <source>Import from pg_&amp;service.conf…</source>
        <translation>Aus pg_&amp;service.conf importieren…</translation>
    </message>
    <message>
        <source>Register the entries of a libpq service file</source>
        <translation>Die Einträge einer libpq-Service-Datei eintragen</translation>
    </message>
    <message>
        <source>Import pgAdmin &amp;Servers…</source>
        <translation>pgAdmin-&amp;Server importieren…</translation>
    </message>
    <message>
        <source>Register the servers of a pgAdmin servers.json export</source>
        <translation>Die Server eines pgAdmin-Exports servers.json eintragen</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>Quit pgArchivist</source>
        <translation>pgArchivist beenden</translation>
    </message>
    <message>
        <source>&amp;About pgArchivist</source>
        <translation>&amp;Über pgArchivist</translation>
    </message>
    <message>
        <source>Version and licence</source>
        <translation>Version und Lizenz</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>Über &amp;Qt</translation>
    </message>
    <message>
        <source>The Qt version in use</source>
        <translation>Die verwendete Qt-Version</translation>
    </message>
    <message>
        <source>&amp;Server</source>
        <translation>&amp;Server</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Jobs Panel</source>
        <translation>&amp;Auftragsliste</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Haupt</translation>
    </message>
    <message numerus="yes">
        <source>%n server(s), %1 job(s) running</source>
        <translation>
            <numerusform>%n Server, %1 Auftrag/Aufträge laufen</numerusform>
            <numerusform>%n Server, %1 Auftrag/Aufträge laufen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n server(s)</source>
        <translation>
            <numerusform>%n Server</numerusform>
            <numerusform>%n Server</numerusform>
        </translation>
    </message>
    <message>
        <source>Remove Server</source>
        <translation>Server entfernen</translation>
    </message>
    <message>
        <source>Remove &quot;%1&quot; from pgArchivist? The server itself, its repository and its backups are not touched; the saved password is removed from the keychain.</source>
        <translation>„%1“ aus pgArchivist entfernen? Der Server selbst, sein Repository und seine Sicherungen bleiben unberührt; das gespeicherte Passwort wird aus dem Schlüsselbund entfernt.</translation>
    </message>
    <message>
        <source>Test connection to %1</source>
        <translation>Verbindung zu %1 testen</translation>
    </message>
    <message>
        <source>Welcome to pgArchivist</source>
        <translation>Willkommen bei pgArchivist</translation>
    </message>
    <message>
        <source>No server is registered yet.

Create a local sandbox server to try pgArchivist at once? It is a small PostgreSQL 15 cluster under your data folder, with WAL archiving into its own repository.

Choose No to add one of your servers instead.</source>
        <translation>Noch ist kein Server eingetragen.

Einen lokalen Sandbox-Server anlegen, um pgArchivist sofort auszuprobieren? Das ist ein kleiner PostgreSQL-15-Cluster in Ihrem Datenordner, der sein WAL in ein eigenes Repository archiviert.

Wählen Sie „Nein“, um stattdessen einen Ihrer Server einzutragen.</translation>
    </message>
    <message>
        <source>The sandbox server could not be created: %1</source>
        <translation>Der Sandbox-Server konnte nicht angelegt werden: %1</translation>
    </message>
    <message>
        <source>Import pg_service.conf</source>
        <translation>pg_service.conf importieren</translation>
    </message>
    <message>
        <source>Service files (*.conf);;All files (*)</source>
        <translation>Service-Dateien (*.conf);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>pg_service.conf</source>
        <translation>pg_service.conf</translation>
    </message>
    <message>
        <source>Import pgAdmin Servers</source>
        <translation>pgAdmin-Server importieren</translation>
    </message>
    <message>
        <source>pgAdmin export (*.json);;All files (*)</source>
        <translation>pgAdmin-Export (*.json);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>pgAdmin</source>
        <translation>pgAdmin</translation>
    </message>
    <message numerus="yes">
        <source>Imported %n server(s) from %1.</source>
        <translation>
            <numerusform>%n Server aus %1 importiert.</numerusform>
            <numerusform>%n Server aus %1 importiert.</numerusform>
        </translation>
    </message>
    <message>
        <source>About pgArchivist</source>
        <translation>Über pgArchivist</translation>
    </message>
    <message>
        <source>&lt;h3&gt;pgArchivist %1&lt;/h3&gt;&lt;p&gt;PostgreSQL backup and point-in-time recovery: can I recover this server, to which moment, how long will it take, and what does it cost?&lt;/p&gt;&lt;p&gt;Command line: &lt;code&gt;pgarchivist-cli --help&lt;/code&gt;&lt;/p&gt;&lt;p&gt;Built with Qt %2.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;pgArchivist %1&lt;/h3&gt;&lt;p&gt;PostgreSQL-Sicherung und Wiederherstellung auf einen Zeitpunkt: Kann ich diesen Server wiederherstellen, auf welchen Moment, wie lange dauert es und was kostet es?&lt;/p&gt;&lt;p&gt;Befehlszeile: &lt;code&gt;pgarchivist-cli --help&lt;/code&gt;&lt;/p&gt;&lt;p&gt;Erstellt mit Qt %2.&lt;/p&gt;</translation>
    </message>
    <message numerus="yes">
        <source>%n job(s) still running. Cancel them and quit? Cancelled work leaves nothing half-written.</source>
        <translation>
            <numerusform>%n Auftrag läuft noch. Abbrechen und beenden? Abgebrochene Arbeit hinterlässt nichts Halbfertiges.</numerusform>
            <numerusform>%n Aufträge laufen noch. Abbrechen und beenden? Abgebrochene Arbeit hinterlässt nichts Halbfertiges.</numerusform>
        </translation>
    </message>
    <message>
        <source>Create &amp;Standby…</source>
        <translation>Standby an&amp;legen…</translation>
    </message>
    <message>
        <source>Restore the selected server&apos;s newest backup as a standby of it (streaming, archive-fed or delayed)</source>
        <translation>Die neueste Sicherung des gewählten Servers als dessen Standby wiederherstellen (streamend, aus dem Archiv gespeist oder verzögert)</translation>
    </message>
    <message>
        <source>&amp;Promote…</source>
        <translation>H&amp;ochstufen…</translation>
    </message>
    <message>
        <source>Make the selected standby a primary, after checking how far it has replayed</source>
        <translation>Den gewählten Standby zum Primärserver machen, nachdem geprüft wurde, wie weit er eingespielt hat</translation>
    </message>
    <message>
        <source>Switch &amp;Back…</source>
        <translation>&amp;Zurückwechseln…</translation>
    </message>
    <message>
        <source>After a failover: rewind the old primary onto the selected new primary and make it its standby</source>
        <translation>Nach einem Failover: den alten Primärserver auf den gewählten neuen Primärserver zurücksetzen und zu dessen Standby machen</translation>
    </message>
    <message>
        <source>&amp;Replication</source>
        <translation>&amp;Replikation</translation>
    </message>
    <message>
        <source>%1 has no repository: set one in its settings first, a standby starts from its backups.</source>
        <translation>%1 hat kein Repository: Legen Sie zuerst in seinen Einstellungen eines fest, denn ein Standby beginnt mit seinen Sicherungen.</translation>
    </message>
</context>
<context>
    <name>pga::gui::ProgressPage</name>
    <message>
        <source>&amp;Cancel Restore</source>
        <translation>Wiederherstellung a&amp;bbrechen</translation>
    </message>
    <message>
        <source>&amp;Add to Servers</source>
        <translation>Zu den Servern &amp;hinzufügen</translation>
    </message>
    <message>
        <source>Restoring</source>
        <translation>Wiederherstellung läuft</translation>
    </message>
    <message>
        <source>Register the restored instance in the group &quot;Restored&quot;</source>
        <translation>Die wiederhergestellte Instanz in der Gruppe &quot;Restored&quot; eintragen</translation>
    </message>
    <message>
        <source>Added to the servers as &apos;%1&apos; (group Restored).</source>
        <translation>Als &apos;%1&apos; zu den Servern hinzugefügt (Gruppe Restored).</translation>
    </message>
    <message>
        <source>Restored</source>
        <translation>Wiederhergestellt</translation>
    </message>
    <message>
        <source>Not restored</source>
        <translation>Nicht wiederhergestellt</translation>
    </message>
    <message>
        <source>Cancelled: %1</source>
        <translation>Abgebrochen: %1</translation>
    </message>
    <message>
        <source>The restore failed: %1</source>
        <translation>Die Wiederherstellung ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Restored %1 in %2 and replayed %3 of WAL in %4. The server is %5 at LSN %6%7.</source>
        <translation>%1 in %2 wiederhergestellt und %3 WAL in %4 eingespielt. Der Server ist %5 bei LSN %6%7.</translation>
    </message>
    <message>
        <source>, last transaction %1</source>
        <translation>, letzte Transaktion %1</translation>
    </message>
    <message>
        <source>Restored into %1 in %2. Start PostgreSQL on it to recover (pg_ctl -D %1 start).</source>
        <translation>In %2 nach %1 wiederhergestellt. Starten Sie PostgreSQL darauf, um wiederherzustellen (pg_ctl -D %1 start).</translation>
    </message>
    <message>
        <source>Restoring into %1…</source>
        <translation>Wiederherstellung nach %1…</translation>
    </message>
</context>
<context>
    <name>pga::gui::PromoteDialog</name>
    <message>
        <source>Promote &amp;anyway</source>
        <translation>&amp;Trotzdem hochstufen</translation>
    </message>
    <message>
        <source>&amp;Promote</source>
        <translation>&amp;Hochstufen</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Promote %1</source>
        <translation>%1 hochstufen</translation>
    </message>
    <message>
        <source>Checking %1…</source>
        <translation>%1 wird geprüft…</translation>
    </message>
    <message>
        <source>Promote although the check found a reason not to</source>
        <translation>Hochstufen, obwohl die Prüfung einen Grund dagegen gefunden hat</translation>
    </message>
    <message>
        <source>The equivalent pgarchivist-cli command</source>
        <translation>Der entsprechende pgarchivist-cli-Befehl</translation>
    </message>
    <message>
        <source>Make the standby a primary on a new timeline (pg_promote)</source>
        <translation>Den Standby auf einer neuen Timeline zum Primärserver machen (pg_promote)</translation>
    </message>
    <message>
        <source>Cannot promote %1: %2</source>
        <translation>%1 kann nicht hochgestuft werden: %2</translation>
    </message>
    <message>
        <source>%1 has replayed to %2 on timeline %3%4. Promoting makes it a primary on a new timeline: it stops following its primary and accepts writes. The old primary must not come back as a primary: switch it back with Switch Back… once it is stopped.</source>
        <translation>%1 hat bis %2 auf Timeline %3%4 eingespielt. Das Hochstufen macht ihn zum Primärserver auf einer neuen Timeline: Er folgt seinem Primärserver nicht mehr und nimmt Schreibzugriffe an. Der alte Primärserver darf nicht als Primärserver zurückkommen: Binden Sie ihn mit „Zurückwechseln…“ wieder ein, sobald er gestoppt ist.</translation>
    </message>
    <message>
        <source>, fed from the archive</source>
        <translation>, aus dem Archiv gespeist</translation>
    </message>
    <message>
        <source>, receiving from %1</source>
        <translation>, empfängt von %1</translation>
    </message>
    <message>
        <source>Not recommended now: %1.</source>
        <translation>Jetzt nicht empfohlen: %1.</translation>
    </message>
    <message>
        <source>Promoting %1…</source>
        <translation>%1 wird hochgestuft…</translation>
    </message>
    <message>
        <source>Promoted: %1 accepts writes on timeline %2.</source>
        <translation>Hochgestuft: %1 nimmt Schreibzugriffe auf Timeline %2 an.</translation>
    </message>
    <message>
        <source>Not promoted: %1</source>
        <translation>Nicht hochgestuft: %1</translation>
    </message>
</context>
<context>
    <name>pga::gui::RecoveryTimelineModel</name>
    <message>
        <source>Timeline %1: recoverable from %2 to %3 (from backup %4, WAL to %5)</source>
        <translation>Timeline %1: wiederherstellbar von %2 bis %3 (ab Sicherung %4, WAL bis %5)</translation>
    </message>
    <message>
        <source>Timeline %1: WAL from %2 to %3 that no backup reaches (missing segment %4)</source>
        <translation>Timeline %1: WAL von %2 bis %3, das keine Sicherung erreicht (fehlendes Segment %4)</translation>
    </message>
    <message>
        <source>Base backup %1, consistent at %2 (LSN %3)</source>
        <translation>Basissicherung %1, konsistent um %2 (LSN %3)</translation>
    </message>
    <message>
        <source>Restore point &apos;%1&apos; at %2 (LSN %3, timeline %4)</source>
        <translation>Wiederherstellungspunkt &apos;%1&apos; um %2 (LSN %3, Timeline %4)</translation>
    </message>
    <message>
        <source>Timeline %1 branches from timeline %2 at %3</source>
        <translation>Timeline %1 zweigt um %3 von Timeline %2 ab</translation>
    </message>
    <message>
        <source>Timeline %1: the delayed replica (delay %2) has received but not applied the commits from %3 to %4: stop before a blunder among them with Stop Before…</source>
        <translation>Timeline %1: das verzögerte Replikat (Verzögerung %2) hat die Commits von %3 bis %4 empfangen, aber nicht angewendet: mit „Anhalten vor…“ vor einem Fehlgriff darunter anhalten</translation>
    </message>
</context>
<context>
    <name>pga::gui::RecoveryTimelineWidget</name>
    <message>
        <source>Recovery timeline</source>
        <translation>Wiederherstellungs-Zeitleiste</translation>
    </message>
    <message>
        <source>Recoverable window per timeline (green), WAL no backup reaches (red), backups (marks), restore points (flags). Wheel or +/- to zoom, F to fit, click or Enter to pick a moment.</source>
        <translation>Wiederherstellbares Fenster je Timeline (grün), WAL, das keine Sicherung erreicht (rot), Sicherungen (Marken), Wiederherstellungspunkte (Fähnchen). Mausrad oder +/- zoomt, F passt ein, Klick oder Eingabe wählt einen Zeitpunkt.</translation>
    </message>
    <message>
        <source>TL %1</source>
        <translation>TL %1</translation>
    </message>
    <message>
        <source>%1 (timeline %2)</source>
        <translation>%1 (Timeline %2)</translation>
    </message>
</context>
<context>
    <name>pga::gui::RestoreDumpDialog</name>
    <message>
        <source>Into a &amp;new database:</source>
        <translation>In eine &amp;neue Datenbank:</translation>
    </message>
    <message>
        <source>Into the connection&apos;s &amp;database</source>
        <translation>In die Datenbank der &amp;Verbindung</translation>
    </message>
    <message>
        <source>&amp;Recreate it under its own name (--create)</source>
        <translation>&amp;Unter eigenem Namen neu anlegen (--create)</translation>
    </message>
    <message>
        <source>Drop the objects first (--c&amp;lean)</source>
        <translation>Objekte vorher löschen (--c&amp;lean)</translation>
    </message>
    <message>
        <source>Definitions and &amp;data</source>
        <translation>Definitionen und &amp;Daten</translation>
    </message>
    <message>
        <source>Data &amp;only</source>
        <translation>Nur Da&amp;ten</translation>
    </message>
    <message>
        <source>Definitions onl&amp;y</source>
        <translation>Nur Def&amp;initionen</translation>
    </message>
    <message>
        <source>Restore Dump %1</source>
        <translation>Dump %1 wiederherstellen</translation>
    </message>
    <message>
        <source>Contents of the dump</source>
        <translation>Inhalt des Dumps</translation>
    </message>
    <message>
        <source>Uncheck what not to restore; Space toggles the selected entry</source>
        <translation>Entfernen Sie den Haken bei allem, was nicht wiederhergestellt werden soll; die Leertaste schaltet den gewählten Eintrag um</translation>
    </message>
    <message>
        <source>The server to restore into (the source by default; any server PostgreSQL %1 or newer)</source>
        <translation>Der Server, in den wiederhergestellt wird (standardmäßig die Quelle; jeder Server ab PostgreSQL %1)</translation>
    </message>
    <message>
        <source>Parallel pg_restore workers (not for plain dumps)</source>
        <translation>Parallele pg_restore-Prozesse (nicht für einfache SQL-Dumps)</translation>
    </message>
    <message>
        <source>Warnings</source>
        <translation>Warnungen</translation>
    </message>
    <message>
        <source>&amp;Restore</source>
        <translation>&amp;Wiederherstellen</translation>
    </message>
    <message>
        <source>Ca&amp;ncel Restore</source>
        <translation>Wiederherstellung a&amp;bbrechen</translation>
    </message>
    <message>
        <source>Select &amp;all</source>
        <translation>&amp;Alle auswählen</translation>
    </message>
    <message>
        <source>Select non&amp;e</source>
        <translation>&amp;Keine auswählen</translation>
    </message>
    <message>
        <source>Database in the dump:</source>
        <translation>Datenbank im Dump:</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>Wohin</translation>
    </message>
    <message>
        <source>&amp;Server:</source>
        <translation>&amp;Server:</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Was</translation>
    </message>
    <message>
        <source>Jobs:</source>
        <translation>Parallele Prozesse:</translation>
    </message>
    <message>
        <source>Command line:</source>
        <translation>Befehlszeile:</translation>
    </message>
    <message>
        <source>Reading dump %1…</source>
        <translation>Dump %1 wird gelesen…</translation>
    </message>
    <message>
        <source>The dump cannot be read: %1</source>
        <translation>Der Dump kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>All databases, with the roles (each recreated under its own name)</source>
        <translation>Alle Datenbanken samt Rollen (jede unter eigenem Namen neu angelegt)</translation>
    </message>
    <message>
        <source>A plain SQL dump has no table of contents: it restores whole, with psql.</source>
        <translation>Ein einfacher SQL-Dump hat kein Inhaltsverzeichnis: Er wird vollständig mit psql wiederhergestellt.</translation>
    </message>
    <message>
        <source>Every database of the dump is restored whole, with the roles and tablespaces first.</source>
        <translation>Jede Datenbank des Dumps wird vollständig wiederhergestellt, vorher die Rollen und Tablespaces.</translation>
    </message>
    <message>
        <source>Reading the table of contents of %1…</source>
        <translation>Das Inhaltsverzeichnis von %1 wird gelesen…</translation>
    </message>
    <message>
        <source>The table of contents cannot be read: %1</source>
        <translation>Das Inhaltsverzeichnis kann nicht gelesen werden: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n entries in the table of contents; all are restored unless unchecked.</source>
        <translation>
            <numerusform>%n Eintrag im Inhaltsverzeichnis; er wird wiederhergestellt, sofern er nicht abgewählt wird.</numerusform>
            <numerusform>%n Einträge im Inhaltsverzeichnis; alle werden wiederhergestellt, sofern sie nicht abgewählt werden.</numerusform>
        </translation>
    </message>
    <message>
        <source>Name the server to restore into</source>
        <translation>Geben Sie den Server an, in den wiederhergestellt wird</translation>
    </message>
    <message>
        <source>Name the new database</source>
        <translation>Geben Sie der neuen Datenbank einen Namen</translation>
    </message>
    <message>
        <source>Check at least one object</source>
        <translation>Markieren Sie mindestens ein Objekt</translation>
    </message>
    <message>
        <source>Restoring… (checking the dump&apos;s files first)</source>
        <translation>Wiederherstellung läuft… (zuerst werden die Dateien des Dumps geprüft)</translation>
    </message>
    <message>
        <source>Restored into %1 in %2 s.</source>
        <translation>In %2 s nach %1 wiederhergestellt.</translation>
    </message>
    <message numerus="yes">
        <source>Restored into %1 in %2 s, with %n warning(s): errors pg_restore ran past, listed below with their statements.</source>
        <translation>
            <numerusform>In %2 s nach %1 wiederhergestellt, mit %n Warnung: ein Fehler, über den pg_restore hinweggegangen ist, unten mit seiner Anweisung aufgeführt.</numerusform>
            <numerusform>In %2 s nach %1 wiederhergestellt, mit %n Warnungen: Fehler, über die pg_restore hinweggegangen ist, unten mit ihren Anweisungen aufgeführt.</numerusform>
        </translation>
    </message>
    <message>
        <source>The restore was cancelled; what it already created stays in the target.</source>
        <translation>Die Wiederherstellung wurde abgebrochen; was sie bereits angelegt hat, bleibt im Ziel.</translation>
    </message>
    <message>
        <source>The restore failed: %1</source>
        <translation>Die Wiederherstellung ist fehlgeschlagen: %1</translation>
    </message>
</context>
<context>
    <name>pga::gui::RestoreWizard</name>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>Wiederherstellen</translation>
    </message>
</context>
<context>
    <name>pga::gui::ScheduleModel</name>
    <message>
        <source>Back up</source>
        <translation>Sichern</translation>
    </message>
    <message>
        <source>Verify</source>
        <translation>Prüfen</translation>
    </message>
    <message>
        <source>Expire</source>
        <translation>Aufräumen</translation>
    </message>
    <message>
        <source>Restore drill</source>
        <translation>Wiederherstellungsprobe</translation>
    </message>
    <message>
        <source>1 backup</source>
        <translation>1 Sicherung</translation>
    </message>
    <message>
        <source>%1 backups</source>
        <translation>%1 Sicherungen</translation>
    </message>
    <message>
        <source>1 day</source>
        <translation>1 Tag</translation>
    </message>
    <message>
        <source>%1 days</source>
        <translation>%1 Tage</translation>
    </message>
    <message>
        <source> (keep %1)</source>
        <translation> (%1 behalten)</translation>
    </message>
    <message>
        <source>, </source>
        <translation>, </translation>
    </message>
    <message>
        <source> of %1</source>
        <translation> von %1</translation>
    </message>
    <message>
        <source>off</source>
        <translation>aus</translation>
    </message>
    <message>
        <source>never ran</source>
        <translation>lief noch nie</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <source>Whether this task runs on its schedule</source>
        <translation>Ob diese Aufgabe nach ihrem Zeitplan läuft</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>Aufgabe</translation>
    </message>
    <message>
        <source>When (systemd calendar)</source>
        <translation>Wann (systemd-Kalender)</translation>
    </message>
    <message>
        <source>Next run (task&apos;s zone)</source>
        <translation>Nächster Lauf (Zone der Aufgabe)</translation>
    </message>
    <message>
        <source>Next run (local)</source>
        <translation>Nächster Lauf (lokal)</translation>
    </message>
    <message>
        <source>Last run</source>
        <translation>Letzter Lauf</translation>
    </message>
    <message>
        <source>On</source>
        <translation>An</translation>
    </message>
    <message>
        <source>Dump (all databases)</source>
        <translation>Dump (alle Datenbanken)</translation>
    </message>
</context>
<context>
    <name>pga::gui::ScheduleNotifier</name>
    <message>
        <source>pgArchivist</source>
        <translation>pgArchivist</translation>
    </message>
    <message>
        <source>Scheduled task failed: %1</source>
        <translation>Geplante Aufgabe fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>%1 (task %2): %3</source>
        <translation>%1 (Aufgabe %2): %3</translation>
    </message>
</context>
<context>
    <name>pga::gui::SchedulesDialog</name>
    <message>
        <source>%1  (local: %2)</source>
        <translation>%1  (lokal: %2)</translation>
    </message>
    <message>
        <source>Schedules of %1</source>
        <translation>Zeitpläne von %1</translation>
    </message>
    <message>
        <source>&amp;Add…</source>
        <translation>&amp;Hinzufügen…</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>&amp;Bearbeiten…</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Entfernen</translation>
    </message>
    <message>
        <source>Install as systemd &amp;timer…</source>
        <translation>Als systemd-&amp;Timer einrichten…</translation>
    </message>
    <message>
        <source>Run these tasks while pgArchivist is closed: a systemd user timer calls &apos;pgarchivist-cli schedule run-due&apos; every minute</source>
        <translation>Diese Aufgaben auch bei geschlossenem pgArchivist ausführen: ein systemd-Benutzertimer ruft jede Minute &apos;pgarchivist-cli schedule run-due&apos; auf</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>&amp;Schließen</translation>
    </message>
    <message>
        <source>Next five runs of the selected task:</source>
        <translation>Die nächsten fünf Läufe der gewählten Aufgabe:</translation>
    </message>
    <message>
        <source>Added: %1.</source>
        <translation>Hinzugefügt: %1.</translation>
    </message>
    <message>
        <source>Changed: %1.</source>
        <translation>Geändert: %1.</translation>
    </message>
    <message>
        <source>Remove Scheduled Task</source>
        <translation>Geplante Aufgabe entfernen</translation>
    </message>
    <message>
        <source>Remove &quot;%1&quot; at %2? Its past runs stay in the job history.</source>
        <translation>„%1“ um %2 entfernen? Ihre bisherigen Läufe bleiben im Auftragsverlauf.</translation>
    </message>
    <message>
        <source>Removed: %1.</source>
        <translation>Entfernt: %1.</translation>
    </message>
    <message>
        <source>Install as systemd Timer</source>
        <translation>Als systemd-Timer einrichten</translation>
    </message>
    <message>
        <source>&amp;Install for Me</source>
        <translation>Für mich &amp;einrichten</translation>
    </message>
    <message>
        <source>Written to %1. Turn it on with: %2</source>
        <translation>Nach %1 geschrieben. Einschalten mit: %2</translation>
    </message>
    <message>
        <source>These units run &apos;pgarchivist-cli schedule run-due&apos; every minute as you, so the tasks run while pgArchivist is closed. The app and the timer never run the same task twice.</source>
        <translation>Diese Units führen jede Minute &apos;pgarchivist-cli schedule run-due&apos; als Sie aus, damit die Aufgaben auch bei geschlossenem pgArchivist laufen. App und Timer führen nie dieselbe Aufgabe doppelt aus.</translation>
    </message>
</context>
<context>
    <name>pga::gui::ServerDialog</name>
    <message>
        <source>Edit Server — %1</source>
        <translation>Server bearbeiten — %1</translation>
    </message>
    <message>
        <source>Add Server</source>
        <translation>Server hinzufügen</translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation>unverändert</translation>
    </message>
    <message>
        <source>Success</source>
        <translation>Erfolg</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>Enter how to connect first.</source>
        <translation>Geben Sie zuerst an, wie verbunden wird.</translation>
    </message>
    <message>
        <source>Cancel &amp;test</source>
        <translation>Test a&amp;bbrechen</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Verbinde…</translation>
    </message>
    <message>
        <source>Test connection to %1</source>
        <translation>Verbindung zu %1 testen</translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation>Verbindung &amp;testen</translation>
    </message>
    <message>
        <source>Connected: %1</source>
        <translation>Verbunden: %1</translation>
    </message>
    <message>
        <source>Test cancelled.</source>
        <translation>Test abgebrochen.</translation>
    </message>
    <message>
        <source>Repository Folder</source>
        <translation>Repository-Ordner</translation>
    </message>
    <message>
        <source>Cancel &amp;repository test</source>
        <translation>Rep&amp;ository-Test abbrechen</translation>
    </message>
    <message>
        <source>Checking %1…</source>
        <translation>%1 wird geprüft…</translation>
    </message>
    <message>
        <source>Test repository %1</source>
        <translation>Repository %1 testen</translation>
    </message>
    <message>
        <source>Test &amp;repository</source>
        <translation>Rep&amp;ository testen</translation>
    </message>
    <message>
        <source>Enter the repository&apos;s passphrase: without it the app cannot read or write the encrypted repository.</source>
        <translation>Geben Sie die Passphrase des Repositorys ein: Ohne sie kann die Anwendung das verschlüsselte Repository weder lesen noch schreiben.</translation>
    </message>
    <message>
        <source>Change Passphrase — %1</source>
        <translation>Passphrase ändern — %1</translation>
    </message>
    <message>
        <source>&amp;New passphrase:</source>
        <translation>&amp;Neue Passphrase:</translation>
    </message>
    <message>
        <source>Con&amp;firm:</source>
        <translation>&amp;Bestätigen:</translation>
    </message>
    <message>
        <source>Enter the new passphrase.</source>
        <translation>Geben Sie die neue Passphrase ein.</translation>
    </message>
    <message>
        <source>The two entries differ.</source>
        <translation>Die beiden Eingaben stimmen nicht überein.</translation>
    </message>
    <message>
        <source>Changing the passphrase of %1…</source>
        <translation>Die Passphrase von %1 wird geändert…</translation>
    </message>
    <message>
        <source>Change the passphrase of %1</source>
        <translation>Passphrase von %1 ändern</translation>
    </message>
    <message>
        <source>The passphrase was changed. Update the database host&apos;s copy.</source>
        <translation>Die Passphrase wurde geändert. Aktualisieren Sie die Kopie auf dem Datenbankrechner.</translation>
    </message>
    <message>
        <source>The passphrase was changed. Update %1 on the database host.</source>
        <translation>Die Passphrase wurde geändert. Aktualisieren Sie %1 auf dem Datenbankrechner.</translation>
    </message>
</context>
<context>
    <name>pga::gui::ServerTreeModel</name>
    <message>
        <source>online</source>
        <translation>erreichbar</translation>
    </message>
    <message>
        <source>unreachable</source>
        <translation>nicht erreichbar</translation>
    </message>
    <message>
        <source>checking…</source>
        <translation>wird geprüft…</translation>
    </message>
    <message>
        <source>not checked</source>
        <translation>nicht geprüft</translation>
    </message>
    <message>
        <source>unreachable: %1</source>
        <translation>nicht erreichbar: %1</translation>
    </message>
    <message>
        <source>Online: %1</source>
        <translation>Erreichbar: %1</translation>
    </message>
    <message>
        <source>Unreachable: %1</source>
        <translation>Nicht erreichbar: %1</translation>
    </message>
    <message>
        <source>Checked %1</source>
        <translation>Geprüft %1</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message numerus="yes">
        <source>%n server(s), %1 unreachable</source>
        <translation>
            <numerusform>%n Server, %1 nicht erreichbar</numerusform>
            <numerusform>%n Server, %1 nicht erreichbar</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n server(s)</source>
        <translation>
            <numerusform>%n Server</numerusform>
            <numerusform>%n Server</numerusform>
        </translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>Configuration audit: worst finding is %1</source>
        <translation>Konfigurationsprüfung: schwerster Befund ist %1</translation>
    </message>
    <message>
        <source>Audit</source>
        <translation>Prüfung</translation>
    </message>
    <message>
        <source>A scheduled task failed:</source>
        <translation>Eine geplante Aufgabe ist fehlgeschlagen:</translation>
    </message>
</context>
<context>
    <name>pga::gui::ServerView</name>
    <message>
        <source>Status:</source>
        <translation>Status:</translation>
    </message>
    <message>
        <source>PostgreSQL:</source>
        <translation>PostgreSQL:</translation>
    </message>
    <message>
        <source>Role:</source>
        <translation>Rolle:</translation>
    </message>
    <message>
        <source>System identifier:</source>
        <translation>Systemkennung:</translation>
    </message>
    <message>
        <source>Timeline:</source>
        <translation>Zeitleiste:</translation>
    </message>
    <message>
        <source>Current WAL position:</source>
        <translation>Aktuelle WAL-Position:</translation>
    </message>
    <message>
        <source>Data checksums:</source>
        <translation>Datenprüfsummen:</translation>
    </message>
    <message>
        <source>Connection:</source>
        <translation>Verbindung:</translation>
    </message>
    <message>
        <source>Repository:</source>
        <translation>Repository:</translation>
    </message>
    <message>
        <source>Last checked:</source>
        <translation>Zuletzt geprüft:</translation>
    </message>
    <message>
        <source>&amp;Overview</source>
        <translation>&amp;Überblick</translation>
    </message>
    <message>
        <source>&amp;Configuration</source>
        <translation>&amp;Konfiguration</translation>
    </message>
    <message>
        <source>&amp;Backups</source>
        <translation>&amp;Sicherungen</translation>
    </message>
    <message>
        <source>&amp;WAL</source>
        <translation>&amp;WAL</translation>
    </message>
    <message>
        <source>Select a server, or add one with Server → Add Server (Ctrl+N).</source>
        <translation>Wählen Sie einen Server oder tragen Sie einen ein mit Server → Server hinzufügen (Strg+N).</translation>
    </message>
    <message>
        <source>online</source>
        <translation>erreichbar</translation>
    </message>
    <message>
        <source>unreachable: %1</source>
        <translation>nicht erreichbar: %1</translation>
    </message>
    <message>
        <source>checking…</source>
        <translation>wird geprüft…</translation>
    </message>
    <message>
        <source>not checked yet</source>
        <translation>noch nicht geprüft</translation>
    </message>
    <message>
        <source>none yet</source>
        <translation>noch keines</translation>
    </message>
    <message>
        <source>standby (in recovery)</source>
        <translation>Standby (in Wiederherstellung)</translation>
    </message>
    <message>
        <source>primary</source>
        <translation>Primärserver</translation>
    </message>
    <message>
        <source>on</source>
        <translation>an</translation>
    </message>
    <message>
        <source>off</source>
        <translation>aus</translation>
    </message>
    <message>
        <source>C&amp;alendar</source>
        <translation>&amp;Kalender</translation>
    </message>
    <message>
        <source>Bl&amp;unders</source>
        <translation>&amp;Fehlgriffe</translation>
    </message>
    <message>
        <source>DROP, TRUNCATE and mass DELETE/UPDATE found in the archived WAL, and their undo</source>
        <translation>Im archivierten WAL gefundene DROP, TRUNCATE und Massen-DELETE/UPDATE — und wie man sie rückgängig macht</translation>
    </message>
</context>
<context>
    <name>pga::gui::SettingsModel</name>
    <message>
        <source>restart</source>
        <translation>Neustart</translation>
    </message>
    <message>
        <source>reload</source>
        <translation>Neuladen</translation>
    </message>
    <message>
        <source>fixed at initdb</source>
        <translation>bei initdb festgelegt</translation>
    </message>
    <message>
        <source>This role may not see %1; audit as a superuser or grant pg_read_all_settings.</source>
        <translation>Diese Rolle darf %1 nicht sehen; prüfen Sie als Superuser oder gewähren Sie pg_read_all_settings.</translation>
    </message>
    <message>
        <source>Where a setting is set is visible to superusers and pg_read_all_settings only.</source>
        <translation>Wo eine Einstellung gesetzt ist, sehen nur Superuser und pg_read_all_settings.</translation>
    </message>
    <message>
        <source>hidden from this role</source>
        <translation>für diese Rolle verborgen</translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation>(leer)</translation>
    </message>
    <message>
        <source>%1 (file hidden from this role)</source>
        <translation>%1 (Datei für diese Rolle verborgen)</translation>
    </message>
    <message>
        <source>waits for restart</source>
        <translation>wartet auf Neustart</translation>
    </message>
    <message>
        <source>Setting</source>
        <translation>Einstellung</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>Set in</source>
        <translation>Gesetzt in</translation>
    </message>
    <message>
        <source>A change takes</source>
        <translation>Eine Änderung braucht</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>Ausstehend</translation>
    </message>
</context>
<context>
    <name>pga::gui::StandbyWizard</name>
    <message>
        <source>&amp;Streaming from %1</source>
        <translation>&amp;Streaming von %1</translation>
    </message>
    <message>
        <source>Fed from the &amp;archive only (warm standby)</source>
        <translation>Nur aus dem &amp;Archiv gespeist (Warm Standby)</translation>
    </message>
    <message>
        <source>&amp;Hot: read-only queries while it replays</source>
        <translation>&amp;Hot: lesende Abfragen während des Einspielens</translation>
    </message>
    <message>
        <source>&amp;Warm: no queries until promoted</source>
        <translation>Warm: &amp;keine Abfragen bis zum Hochstufen</translation>
    </message>
    <message>
        <source>S&amp;tart it when it is made</source>
        <translation>Nach dem Anlegen s&amp;tarten</translation>
    </message>
    <message>
        <source>Add it to the server &amp;list</source>
        <translation>In die Serverliste &amp;eintragen</translation>
    </message>
    <message>
        <source>Create Standby of %1</source>
        <translation>Standby von %1 anlegen</translation>
    </message>
    <message>
        <source>Backup and destination</source>
        <translation>Sicherung und Ziel</translation>
    </message>
    <message>
        <source>The standby starts as a restore of a backup from %1&apos;s repository, then replays the WAL from there on.</source>
        <translation>Der Standby beginnt als Wiederherstellung einer Sicherung aus dem Repository von %1 und spielt danach das WAL ab dort ein.</translation>
    </message>
    <message>
        <source>The newest backup</source>
        <translation>Die neueste Sicherung</translation>
    </message>
    <message>
        <source>Which backup the standby is restored from</source>
        <translation>Aus welcher Sicherung der Standby wiederhergestellt wird</translation>
    </message>
    <message>
        <source>The standby&apos;s data directory: new or empty. As root, it is made for the postgres user.</source>
        <translation>Das Datenverzeichnis des Standby: neu oder leer. Als root wird es für den Benutzer postgres angelegt.</translation>
    </message>
    <message>
        <source>a free port</source>
        <translation>ein freier Port</translation>
    </message>
    <message>
        <source>The standby&apos;s port (written as port = N)</source>
        <translation>Der Port des Standby (geschrieben als port = N)</translation>
    </message>
    <message>
        <source>&amp;Backup:</source>
        <translation>Siche&amp;rung:</translation>
    </message>
    <message>
        <source>&amp;Data directory:</source>
        <translation>&amp;Datenverzeichnis:</translation>
    </message>
    <message>
        <source>&amp;Port:</source>
        <translation>&amp;Port:</translation>
    </message>
    <message>
        <source>Replication</source>
        <translation>Replikation</translation>
    </message>
    <message>
        <source>A streaming standby follows within moments; an archive-fed one replays each segment once it is archived.</source>
        <translation>Ein streamender Standby folgt binnen Augenblicken; ein aus dem Archiv gespeister spielt jedes Segment ein, sobald es archiviert ist.</translation>
    </message>
    <message>
        <source>How the standby reaches the primary (primary_conninfo). No password here: the standby&apos;s server user needs it in a passfile (passfile=…) or ~/.pgpass.</source>
        <translation>Wie der Standby den Primärserver erreicht (primary_conninfo). Kein Passwort hier: Der Serverbenutzer des Standby braucht es in einem passfile (passfile=…) oder in ~/.pgpass.</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keiner</translation>
    </message>
    <message>
        <source>A physical replication slot on the primary keeps the WAL the standby has not received yet; created when missing</source>
        <translation>Ein physischer Replikations-Slot auf dem Primärserver behält das WAL, das der Standby noch nicht empfangen hat; wird angelegt, wenn er fehlt</translation>
    </message>
    <message>
        <source>none, e.g. 1h</source>
        <translation>keine, z. B. 1h</translation>
    </message>
    <message>
        <source>A delayed replica applies each commit this late (recovery_min_apply_delay): time to stop before a blunder</source>
        <translation>Ein verzögertes Replikat wendet jeden Commit um so viel später an (recovery_min_apply_delay): Zeit, um vor einem Fehlgriff anzuhalten</translation>
    </message>
    <message>
        <source>Primary &amp;conninfo:</source>
        <translation>&amp;conninfo des Primärservers:</translation>
    </message>
    <message>
        <source>S&amp;lot:</source>
        <translation>S&amp;lot:</translation>
    </message>
    <message>
        <source>Apply &amp;delay:</source>
        <translation>Anwendungs&amp;verzögerung:</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>Anlegen</translation>
    </message>
    <message>
        <source>Finish restores the backup as a standby. The same from a shell:</source>
        <translation>„Fertigstellen“ stellt die Sicherung als Standby wieder her. Dasselbe aus einer Shell:</translation>
    </message>
    <message>
        <source>Register the started standby (same repository and repository name) so the Overview shows its replication</source>
        <translation>Den gestarteten Standby eintragen (gleiches Repository und gleicher Repository-Name), damit der Überblick seine Replikation zeigt</translation>
    </message>
    <message>
        <source>The equivalent pgarchivist-cli command</source>
        <translation>Der entsprechende pgarchivist-cli-Befehl</translation>
    </message>
    <message>
        <source>%1 (ended %2)</source>
        <translation>%1 (beendet %2)</translation>
    </message>
    <message>
        <source>Restoring the backup as a standby…</source>
        <translation>Die Sicherung wird als Standby wiederhergestellt…</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Abgebrochen.</translation>
    </message>
    <message>
        <source>Not created: %1</source>
        <translation>Nicht angelegt: %1</translation>
    </message>
    <message>
        <source>%1 standby</source>
        <translation>%1 Standby</translation>
    </message>
    <message>
        <source>%1 standby %2</source>
        <translation>%1 Standby %2</translation>
    </message>
</context>
<context>
    <name>pga::gui::StopBeforeDialog</name>
    <message>
        <source>&amp;Time</source>
        <translation>&amp;Zeit</translation>
    </message>
    <message>
        <source>Transaction &amp;ID</source>
        <translation>Transaktions-&amp;ID</translation>
    </message>
    <message>
        <source>WAL &amp;position</source>
        <translation>WAL-&amp;Position</translation>
    </message>
    <message>
        <source>&amp;Stop Before</source>
        <translation>Anhalten &amp;vor</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Stop %1 Before a Blunder</source>
        <translation>%1 vor einem Fehlgriff anhalten</translation>
    </message>
    <message>
        <source>%1 is a delayed replica: it has received commits it has not applied yet. Give the blunder (its time, transaction or WAL position): replay pauses, the replica restarts to recover up to just before it and is promoted there, a primary of its own on a new timeline, with what the blunder destroyed still in it.</source>
        <translation>%1 ist ein verzögertes Replikat: Es hat Commits empfangen, die es noch nicht angewendet hat. Geben Sie den Fehlgriff an (seine Zeit, Transaktion oder WAL-Position): Das Einspielen pausiert, das Replikat startet neu, stellt bis kurz davor wieder her und wird dort hochgestuft – ein eigener Primärserver auf einer neuen Timeline, in dem noch enthalten ist, was der Fehlgriff zerstört hat.</translation>
    </message>
    <message>
        <source>A time with its zone (e.g. 2026-12-01 14:03:00+01), a transaction ID, or an LSN such as 0/3000060</source>
        <translation>Eine Zeit mit Zone (z. B. 2026-12-01 14:03:00+01), eine Transaktions-ID oder eine LSN wie 0/3000060</translation>
    </message>
    <message>
        <source>The equivalent pgarchivist-cli command</source>
        <translation>Der entsprechende pgarchivist-cli-Befehl</translation>
    </message>
    <message>
        <source>Not a %1.</source>
        <translation>Keine gültige %1.</translation>
    </message>
    <message>
        <source>time with its zone</source>
        <translation>Zeit mit Zone</translation>
    </message>
    <message>
        <source>transaction ID</source>
        <translation>Transaktions-ID</translation>
    </message>
    <message>
        <source>WAL position</source>
        <translation>WAL-Position</translation>
    </message>
    <message>
        <source>Stopping %1 before %2…</source>
        <translation>%1 wird vor %2 angehalten…</translation>
    </message>
    <message>
        <source>Promoted at %1 on timeline %2, just before the blunder.</source>
        <translation>Bei %1 auf Timeline %2 hochgestuft, kurz vor dem Fehlgriff.</translation>
    </message>
    <message>
        <source>Not done: %1</source>
        <translation>Nicht ausgeführt: %1</translation>
    </message>
</context>
<context>
    <name>pga::gui::SummaryPage</name>
    <message>
        <source>Summary</source>
        <translation>Zusammenfassung</translation>
    </message>
    <message>
        <source>Nothing has been written yet.</source>
        <translation>Noch wurde nichts geschrieben.</translation>
    </message>
    <message>
        <source>The same restore from a shell or a script</source>
        <translation>Dieselbe Wiederherstellung aus einer Shell oder einem Skript</translation>
    </message>
    <message>
        <source>Command line:</source>
        <translation>Befehlszeile:</translation>
    </message>
    <message>
        <source>&amp;Restore</source>
        <translation>&amp;Wiederherstellen</translation>
    </message>
    <message>
        <source>Target: %1.</source>
        <translation>Ziel: %1.</translation>
    </message>
    <message>
        <source>Backup: %1, the newest that ends before the target.</source>
        <translation>Sicherung: %1, die neueste, die vor dem Ziel endet.</translation>
    </message>
    <message>
        <source>Backup: %1, as chosen.</source>
        <translation>Sicherung: %1, wie gewählt.</translation>
    </message>
    <message>
        <source>To restore: %1 (about %2). WAL to replay: %3 (about %4).</source>
        <translation>Wiederherzustellen: %1 (etwa %2). Einzuspielendes WAL: %3 (etwa %4).</translation>
    </message>
    <message>
        <source>Recovery time objective: about %1. Basis: %2.</source>
        <translation>Wiederherstellungszeit (RTO): etwa %1. Grundlage: %2.</translation>
    </message>
    <message>
        <source>Into: %1%2.</source>
        <translation>Nach: %1%2.</translation>
    </message>
    <message>
        <source>, then started (archive_mode off) and followed to the target</source>
        <translation>, dann gestartet (archive_mode off) und bis zum Ziel verfolgt</translation>
    </message>
</context>
<context>
    <name>pga::gui::SwitchBackDialog</name>
    <message>
        <source>S&amp;tart it as a standby afterwards</source>
        <translation>Danach als Standby &amp;starten</translation>
    </message>
    <message>
        <source>&amp;Switch Back</source>
        <translation>&amp;Zurückwechseln</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Switch Back onto %1</source>
        <translation>Auf %1 zurückwechseln</translation>
    </message>
    <message>
        <source>After a failover the old primary has WAL the new primary never saw. pg_rewind takes it back to where the two diverged, copying only the pages that changed since (it needs data checksums or wal_log_hints on the old primary, which is checked first); WAL it no longer has comes from %1&apos;s repository. The old primary keeps its own configuration and becomes a standby of %2.</source>
        <translation>Nach einem Failover hat der alte Primärserver WAL, das der neue Primärserver nie gesehen hat. pg_rewind setzt ihn auf den Punkt zurück, an dem beide auseinanderliefen, und kopiert nur die Seiten, die sich seitdem geändert haben (dafür braucht es Datenprüfsummen oder wal_log_hints auf dem alten Primärserver, was zuerst geprüft wird); WAL, das er nicht mehr hat, kommt aus dem Repository von %1. Der alte Primärserver behält seine eigene Konfiguration und wird ein Standby von %2.</translation>
    </message>
    <message>
        <source>/var/lib/postgresql/15/main</source>
        <translation>/var/lib/postgresql/15/main</translation>
    </message>
    <message>
        <source>The old primary&apos;s data directory on this machine; the old primary must be stopped</source>
        <translation>Das Datenverzeichnis des alten Primärservers auf diesem Rechner; der alte Primärserver muss gestoppt sein</translation>
    </message>
    <message>
        <source>How to reach the new primary (no password here: ~/.pgpass or passfile=)</source>
        <translation>Wie der neue Primärserver erreicht wird (kein Passwort hier: ~/.pgpass oder passfile=)</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keiner</translation>
    </message>
    <message>
        <source>primary_slot_name for the old primary as a standby; created on the new primary when missing</source>
        <translation>primary_slot_name für den alten Primärserver als Standby; wird auf dem neuen Primärserver angelegt, wenn er fehlt</translation>
    </message>
    <message>
        <source>The equivalent pgarchivist-cli command</source>
        <translation>Der entsprechende pgarchivist-cli-Befehl</translation>
    </message>
    <message>
        <source>Old primary&apos;s &amp;data directory:</source>
        <translation>&amp;Datenverzeichnis des alten Primärservers:</translation>
    </message>
    <message>
        <source>New &amp;primary:</source>
        <translation>Neuer &amp;Primärserver:</translation>
    </message>
    <message>
        <source>S&amp;lot:</source>
        <translation>S&amp;lot:</translation>
    </message>
    <message>
        <source>Rewinding %1…</source>
        <translation>%1 wird zurückgesetzt…</translation>
    </message>
    <message>
        <source>Switched back: the old primary is a standby of %1%2.</source>
        <translation>Zurückgewechselt: Der alte Primärserver ist ein Standby von %1%2.</translation>
    </message>
    <message>
        <source> and runs</source>
        <translation> und läuft</translation>
    </message>
    <message>
        <source>Not switched back: %1</source>
        <translation>Nicht zurückgewechselt: %1</translation>
    </message>
</context>
<context>
    <name>pga::gui::TargetPage</name>
    <message>
        <source>Stop just &amp;before the target (exclusive)</source>
        <translation>Kurz &amp;vor dem Ziel anhalten (exklusiv)</translation>
    </message>
    <message>
        <source>Recover to which moment?</source>
        <translation>Zu welchem Zeitpunkt wiederherstellen?</translation>
    </message>
    <message>
        <source>Pick a moment on the timeline, or name the target exactly. The archive is checked as you choose.</source>
        <translation>Wählen Sie einen Zeitpunkt auf der Zeitleiste oder nennen Sie das Ziel genau. Das Archiv wird geprüft, während Sie wählen.</translation>
    </message>
    <message>
        <source>The end of the archived WAL</source>
        <translation>Das Ende des archivierten WAL</translation>
    </message>
    <message>
        <source>A moment in time</source>
        <translation>Ein Zeitpunkt</translation>
    </message>
    <message>
        <source>A restore point</source>
        <translation>Ein Wiederherstellungspunkt</translation>
    </message>
    <message>
        <source>A transaction (xid)</source>
        <translation>Eine Transaktion (xid)</translation>
    </message>
    <message>
        <source>A WAL position (LSN)</source>
        <translation>Eine WAL-Position (LSN)</translation>
    </message>
    <message>
        <source>The earliest consistent moment (end of the backup)</source>
        <translation>Der früheste konsistente Zeitpunkt (Ende der Sicherung)</translation>
    </message>
    <message>
        <source>With its zone, as psql prints it; microseconds are kept. Without a zone: %1.</source>
        <translation>Mit Zeitzone, wie psql sie ausgibt; Mikrosekunden bleiben erhalten. Ohne Zone: %1.</translation>
    </message>
    <message>
        <source>e.g. 4711, or pg_current_xact_id() with its epoch</source>
        <translation>z. B. 4711, oder pg_current_xact_id() mit Epoche</translation>
    </message>
    <message>
        <source>latest (follow timeline switches)</source>
        <translation>latest (Timeline-Wechseln folgen)</translation>
    </message>
    <message>
        <source>current (the backup&apos;s timeline)</source>
        <translation>current (die Timeline der Sicherung)</translation>
    </message>
    <message>
        <source>Recover &amp;to:</source>
        <translation>Wiederherstellen &amp;bis:</translation>
    </message>
    <message>
        <source>T&amp;ime:</source>
        <translation>&amp;Zeit:</translation>
    </message>
    <message>
        <source>&amp;Restore point:</source>
        <translation>&amp;Wiederherstellungspunkt:</translation>
    </message>
    <message>
        <source>Tr&amp;ansaction:</source>
        <translation>Tr&amp;ansaktion:</translation>
    </message>
    <message>
        <source>&amp;LSN:</source>
        <translation>&amp;LSN:</translation>
    </message>
    <message>
        <source>Time&amp;line:</source>
        <translation>Time&amp;line:</translation>
    </message>
    <message>
        <source>timeline %1</source>
        <translation>Timeline %1</translation>
    </message>
    <message>
        <source>Checking the archive…</source>
        <translation>Das Archiv wird geprüft…</translation>
    </message>
    <message>
        <source>Type a time with its zone, like %1.</source>
        <translation>Geben Sie eine Zeit mit Zeitzone ein, etwa %1.</translation>
    </message>
    <message>
        <source>The archive has no restore point; make one with SELECT pg_create_restore_point(&apos;name&apos;).</source>
        <translation>Das Archiv hat keinen Wiederherstellungspunkt; legen Sie einen mit SELECT pg_create_restore_point(&apos;name&apos;) an.</translation>
    </message>
    <message>
        <source>Type a transaction ID (a number of 3 or more).</source>
        <translation>Geben Sie eine Transaktions-ID ein (eine Zahl ab 3).</translation>
    </message>
    <message>
        <source>Type an LSN like 0/3000060.</source>
        <translation>Geben Sie eine LSN wie 0/3000060 ein.</translation>
    </message>
    <message>
        <source>Reachable: from backup %1, %2 to restore and %3 of WAL to replay, about %4.</source>
        <translation>Erreichbar: ab Sicherung %1, %2 wiederherzustellen und %3 WAL einzuspielen, etwa %4.</translation>
    </message>
    <message>
        <source>Cannot recover to this target: %1</source>
        <translation>Zu diesem Ziel kann nicht wiederhergestellt werden: %1</translation>
    </message>
</context>
<context>
    <name>pga::gui::TaskEditor</name>
    <message>
        <source>Edit Scheduled Task</source>
        <translation>Geplante Aufgabe bearbeiten</translation>
    </message>
    <message>
        <source>Add Scheduled Task</source>
        <translation>Geplante Aufgabe hinzufügen</translation>
    </message>
    <message>
        <source>A systemd calendar expression with its zone (systemd.time(7)), e.g. &quot;daily Europe/Berlin&quot;, &quot;Mon..Fri *-*-* 02:30 UTC&quot;. The same text works in a systemd timer.</source>
        <translation>Ein systemd-Kalenderausdruck mit seiner Zone (systemd.time(7)), z. B. &quot;daily Europe/Berlin&quot;, &quot;Mon..Fri *-*-* 02:30 UTC&quot;. Derselbe Text funktioniert in einem systemd-Timer.</translation>
    </message>
    <message>
        <source>not by count</source>
        <translation>nicht nach Anzahl</translation>
    </message>
    <message>
        <source>not by age</source>
        <translation>nicht nach Alter</translation>
    </message>
    <message>
        <source> days</source>
        <translation> Tage</translation>
    </message>
    <message>
        <source>all / the newest</source>
        <translation>alle / die neueste</translation>
    </message>
    <message>
        <source>&amp;Task:</source>
        <translation>&amp;Aufgabe:</translation>
    </message>
    <message>
        <source>&amp;When:</source>
        <translation>&amp;Wann:</translation>
    </message>
    <message>
        <source>Keep the newest &amp;N backups:</source>
        <translation>Die neuesten &amp;N Sicherungen behalten:</translation>
    </message>
    <message>
        <source>Keep what the last &amp;D days need:</source>
        <translation>Behalten, was die letzten &amp;D Tage brauchen:</translation>
    </message>
    <message>
        <source>Only &amp;backup:</source>
        <translation>Nur &amp;Sicherung:</translation>
    </message>
    <message>
        <source>Next runs:</source>
        <translation>Nächste Läufe:</translation>
    </message>
</context>
<context>
    <name>pga::gui::TocTreeModel</name>
    <message>
        <source>(outside any schema)</source>
        <translation>(ohne Schema)</translation>
    </message>
    <message numerus="yes">
        <source>%n object(s)</source>
        <translation>
            <numerusform>%n Objekt</numerusform>
            <numerusform>%n Objekte</numerusform>
        </translation>
    </message>
    <message>
        <source>Object</source>
        <translation>Objekt</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Typ</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
</context>
<context>
    <name>pga::gui::UndoDialog</name>
    <message>
        <source>In the table&apos;s own &amp;schema</source>
        <translation>Ins eigene &amp;Schema der Tabelle</translation>
    </message>
    <message>
        <source>In schema:</source>
        <translation>Ins Schema:</translation>
    </message>
    <message>
        <source>&amp;Keep the scratch copy running afterwards</source>
        <translation>Arbeitskopie danach &amp;weiterlaufen lassen</translation>
    </message>
    <message>
        <source>C&amp;heck</source>
        <translation>&amp;Prüfen</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Rückgängig machen</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Undo transaction %1</source>
        <translation>Transaktion %1 rückgängig machen</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; in database %2, committed %3 by transaction %4.&lt;br&gt;The newest backup before it is restored into a scratch copy that stops just before the transaction; what it destroyed is copied from there into the live server under new names. Live rows are never overwritten.</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; in der Datenbank %2, festgeschrieben um %3 durch Transaktion %4.&lt;br&gt;Die neueste Sicherung davor wird in eine Arbeitskopie wiederhergestellt, die kurz vor der Transaktion anhält; was diese zerstört hat, wird von dort unter neuen Namen in den laufenden Server kopiert. Zeilen im laufenden Server werden nie überschrieben.</translation>
    </message>
    <message>
        <source>recovered</source>
        <translation>wiederhergestellt</translation>
    </message>
    <message>
        <source>Created in the live database if it does not exist</source>
        <translation>Wird in der laufenden Datenbank angelegt, falls es noch nicht existiert</translation>
    </message>
    <message>
        <source>The dropped table is recreated under this name (default: its own)</source>
        <translation>Die gelöschte Tabelle wird unter diesem Namen neu angelegt (Standard: ihr eigener)</translation>
    </message>
    <message>
        <source>A new directory for the scratch copy; it needs room for the whole restored cluster</source>
        <translation>Ein neues Verzeichnis für die Arbeitskopie; es braucht Platz für den ganzen wiederhergestellten Cluster</translation>
    </message>
    <message>
        <source>The same undo from a shell</source>
        <translation>Dasselbe Rückgängigmachen aus einer Shell</translation>
    </message>
    <message>
        <source>Say what will be created where, and check every name on the live server, without restoring</source>
        <translation>Angeben, was wo angelegt wird, und jeden Namen auf dem laufenden Server prüfen, ohne wiederherzustellen</translation>
    </message>
    <message>
        <source>Restore, replay to just before the transaction, and copy</source>
        <translation>Wiederherstellen, bis kurz vor die Transaktion einspielen und kopieren</translation>
    </message>
    <message>
        <source>Copies go:</source>
        <translation>Kopien kommen:</translation>
    </message>
    <message>
        <source>Recreate &amp;as:</source>
        <translation>Neu anlegen &amp;als:</translation>
    </message>
    <message>
        <source>Scratch &amp;copy in:</source>
        <translation>Arbeits&amp;kopie in:</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Checking what would be created…</source>
        <translation>Es wird geprüft, was angelegt würde…</translation>
    </message>
    <message>
        <source>Undoing transaction %1…</source>
        <translation>Transaktion %1 wird rückgängig gemacht…</translation>
    </message>
    <message>
        <source>Cancelled; the scratch copy was removed.</source>
        <translation>Abgebrochen; die Arbeitskopie wurde entfernt.</translation>
    </message>
    <message>
        <source>Refused or failed: %1</source>
        <translation>Abgelehnt oder fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Backup %1 will be restored into %2. Every name above is free on the live server.</source>
        <translation>Sicherung %1 wird nach %2 wiederhergestellt. Jeder Name oben ist auf dem laufenden Server frei.</translation>
    </message>
    <message>
        <source>Done: every copy has the same rows as the scratch copy (count and md5).%1</source>
        <translation>Fertig: Jede Kopie hat dieselben Zeilen wie die Arbeitskopie (Anzahl und md5).%1</translation>
    </message>
    <message>
        <source> The scratch copy keeps running: %1</source>
        <translation> Die Arbeitskopie läuft weiter: %1</translation>
    </message>
    <message>
        <source>Copied, but some copies differ from the scratch copy: see Check.</source>
        <translation>Kopiert, aber einige Kopien weichen von der Arbeitskopie ab: siehe Spalte „Abgleich“.</translation>
    </message>
    <message>
        <source>Cancelled; the scratch copy was kept in %1.</source>
        <translation>Abgebrochen; die Arbeitskopie bleibt in %1 erhalten.</translation>
    </message>
</context>
<context>
    <name>pga::gui::UndoPlanModel</name>
    <message>
        <source>Row count and md5 of every row, in the scratch copy and in the live server</source>
        <translation>Zeilenanzahl und md5 jeder Zeile, in der Arbeitskopie und im laufenden Server</translation>
    </message>
    <message>
        <source>New database (the dropped one as it was)</source>
        <translation>Neue Datenbank (die gelöschte, wie sie war)</translation>
    </message>
    <message>
        <source>Dropped table, recreated with its indexes</source>
        <translation>Gelöschte Tabelle, mit ihren Indizes neu angelegt</translation>
    </message>
    <message>
        <source>New table with the rows before the %1</source>
        <translation>Neue Tabelle mit den Zeilen vor dem %1</translation>
    </message>
    <message>
        <source>(named in the scratch copy)</source>
        <translation>(Name aus der Arbeitskopie)</translation>
    </message>
    <message>
        <source> (new schema)</source>
        <translation> (neues Schema)</translation>
    </message>
    <message>
        <source>identical</source>
        <translation>identisch</translation>
    </message>
    <message>
        <source>DIFFERENT</source>
        <translation>ABWEICHEND</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Was</translation>
    </message>
    <message>
        <source>Created as</source>
        <translation>Angelegt als</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Datenbank</translation>
    </message>
    <message>
        <source>Rows then</source>
        <translation>Zeilen damals</translation>
    </message>
    <message>
        <source>Rows in the copy</source>
        <translation>Zeilen in der Arbeitskopie</translation>
    </message>
    <message>
        <source>Rows copied</source>
        <translation>Kopierte Zeilen</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Abgleich</translation>
    </message>
</context>
<context>
    <name>pga::gui::WalChartModel</name>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Ab</translation>
    </message>
    <message>
        <source>WAL written</source>
        <translation>Geschriebenes WAL</translation>
    </message>
    <message>
        <source>Full-page images</source>
        <translation>Ganzseitenbilder</translation>
    </message>
    <message>
        <source>.ready files</source>
        <translation>.ready-Dateien</translation>
    </message>
    <message>
        <source>Archive lag</source>
        <translation>Archivierungsrückstand</translation>
    </message>
    <message>
        <source>Repository size</source>
        <translation>Repository-Größe</translation>
    </message>
</context>
<context>
    <name>pga::gui::WalView</name>
    <message>
        <source>Last 24 hours</source>
        <translation>Letzte 24 Stunden</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>Letzte 7 Tage</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>Letzte 30 Tage</translation>
    </message>
    <message>
        <source>Last year</source>
        <translation>Letztes Jahr</translation>
    </message>
    <message>
        <source>How far back the charts go (times in local time, %1)</source>
        <translation>Wie weit die Diagramme zurückreichen (Zeiten in Ortszeit, %1)</translation>
    </message>
    <message>
        <source>Re&amp;fresh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <source>Export &amp;PNG…</source>
        <translation>Als &amp;PNG exportieren…</translation>
    </message>
    <message>
        <source>Export C&amp;SV…</source>
        <translation>Als C&amp;SV exportieren…</translation>
    </message>
    <message>
        <source>Save the charts as a picture</source>
        <translation>Die Diagramme als Bild speichern</translation>
    </message>
    <message>
        <source>Save the numbers behind the charts, times in UTC and local time</source>
        <translation>Die Zahlen hinter den Diagrammen speichern, Zeiten in UTC und Ortszeit</translation>
    </message>
    <message>
        <source>What a GiB of storage costs a month where the repository lives</source>
        <translation>Was ein GiB Speicher dort, wo das Repository liegt, im Monat kostet</translation>
    </message>
    <message>
        <source>all</source>
        <translation>alle</translation>
    </message>
    <message>
        <source>What if expire kept the newest N backups? Nothing is applied.</source>
        <translation>Was, wenn das Aufräumen die neuesten N Sicherungen behielte? Es wird nichts angewendet.</translation>
    </message>
    <message>
        <source>off</source>
        <translation>aus</translation>
    </message>
    <message>
        <source> days</source>
        <translation> Tage</translation>
    </message>
    <message>
        <source>What if expire also kept what the last D days need? Nothing is applied.</source>
        <translation>Was, wenn das Aufräumen auch behielte, was die letzten D Tage brauchen? Es wird nichts angewendet.</translation>
    </message>
    <message>
        <source>&amp;Range:</source>
        <translation>&amp;Zeitraum:</translation>
    </message>
    <message>
        <source>Storage and cost forecast</source>
        <translation>Speicher- und Kostenprognose</translation>
    </message>
    <message>
        <source>Price per GiB-&amp;month:</source>
        <translation>Preis pro GiB und &amp;Monat:</translation>
    </message>
    <message>
        <source>What if expire kept the newest &amp;N:</source>
        <translation>Was, wenn das Aufräumen die neuesten &amp;N behielte:</translation>
    </message>
    <message>
        <source>and what the last &amp;D days need:</source>
        <translation>und was die letzten &amp;D Tage brauchen:</translation>
    </message>
    <message numerus="yes">
        <source>No repository is set for this server: WAL per hour comes from the archive. Samples so far: %n.</source>
        <translation>
            <numerusform>Für diesen Server ist kein Repository eingetragen: WAL pro Stunde kommt aus dem Archiv. Bisher %n Messung.</numerusform>
            <numerusform>Für diesen Server ist kein Repository eingetragen: WAL pro Stunde kommt aus dem Archiv. Bisher %n Messungen.</numerusform>
        </translation>
    </message>
    <message>
        <source>Reading the archive…</source>
        <translation>Das Archiv wird gelesen…</translation>
    </message>
    <message numerus="yes">
        <source>Measured: %1 a day of new backup data and archived WAL (%2 backups a day); %n sample(s) of the server.</source>
        <translation>
            <numerusform>Gemessen: %1 am Tag an neuen Sicherungsdaten und archiviertem WAL (%2 Sicherungen am Tag); %n Messung des Servers.</numerusform>
            <numerusform>Gemessen: %1 am Tag an neuen Sicherungsdaten und archiviertem WAL (%2 Sicherungen am Tag); %n Messungen des Servers.</numerusform>
        </translation>
    </message>
    <message>
        <source>WAL written per %1</source>
        <translation>Geschriebenes WAL pro %1</translation>
    </message>
    <message>
        <source>hour</source>
        <translation>Stunde</translation>
    </message>
    <message>
        <source>6 hours</source>
        <translation>6 Stunden</translation>
    </message>
    <message>
        <source>day</source>
        <translation>Tag</translation>
    </message>
    <message>
        <source>week</source>
        <translation>Woche</translation>
    </message>
    <message>
        <source>WAL (MiB)</source>
        <translation>WAL (MiB)</translation>
    </message>
    <message>
        <source>full-page images (% of records)</source>
        <translation>Ganzseitenbilder (% der Einträge)</translation>
    </message>
    <message>
        <source>MiB</source>
        <translation>MiB</translation>
    </message>
    <message>
        <source>%</source>
        <translation>%</translation>
    </message>
    <message>
        <source>%1: %2 written, %3 full-page images</source>
        <translation>%1: %2 geschrieben, %3 Ganzseitenbilder</translation>
    </message>
    <message>
        <source>Archiving: files waiting and how long</source>
        <translation>Archivierung: wartende Dateien und wie lange</translation>
    </message>
    <message>
        <source>.ready files</source>
        <translation>.ready-Dateien</translation>
    </message>
    <message>
        <source>archive lag (s)</source>
        <translation>Archivierungsrückstand (s)</translation>
    </message>
    <message>
        <source>files</source>
        <translation>Dateien</translation>
    </message>
    <message>
        <source>s</source>
        <translation>s</translation>
    </message>
    <message>
        <source>%1: %2 %3</source>
        <translation>%1: %2 %3</translation>
    </message>
    <message>
        <source>Repository size and forecast</source>
        <translation>Repository-Größe und Prognose</translation>
    </message>
    <message>
        <source>measured (GiB)</source>
        <translation>gemessen (GiB)</translation>
    </message>
    <message>
        <source>forecast (GiB)</source>
        <translation>Prognose (GiB)</translation>
    </message>
    <message>
        <source>local time (%1)</source>
        <translation>Ortszeit (%1)</translation>
    </message>
    <message>
        <source>GiB</source>
        <translation>GiB</translation>
    </message>
    <message>
        <source>Could not save the charts as %1.</source>
        <translation>Die Diagramme konnten nicht als %1 gespeichert werden.</translation>
    </message>
    <message>
        <source>Could not write %1.</source>
        <translation>%1 konnte nicht geschrieben werden.</translation>
    </message>
    <message>
        <source>Export Charts as PNG</source>
        <translation>Diagramme als PNG exportieren</translation>
    </message>
    <message>
        <source>Export Chart Data as CSV</source>
        <translation>Diagrammdaten als CSV exportieren</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG-Bilder (*.png)</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
        <source>Saved %1.</source>
        <translation>%1 gespeichert.</translation>
    </message>
    <message>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <source>How often pgArchivist, while open, samples every server&apos;s WAL position, pg_stat_wal, the archiver and the repository&apos;s size (kept a week in full, a year by the hour)</source>
        <translation>Wie oft pgArchivist, solange es offen ist, bei jedem Server WAL-Position, pg_stat_wal, den Archivierer und die Repository-Größe misst (eine Woche vollständig, ein Jahr stündlich aufbewahrt)</translation>
    </message>
    <message>
        <source>Sampling</source>
        <translation>Messung</translation>
    </message>
    <message>
        <source>Sample servers &amp;every:</source>
        <translation>Server &amp;messen alle:</translation>
    </message>
</context>
</TS>

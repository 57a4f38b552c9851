#!/bin/sh
# conmon runs this a moment after a container's process ends: <dotnet> <pscontainer-exit.dll> <root> <run root> <id>.
# Usually a pwsh session has recorded the exit already (Wait-Container, Invoke-Container, Stop-Container),
# or is about to (a stop the user asked for); then there is nothing to do and no .NET process is started.
# A container with a restart policy always needs the engine unless the user stopped it (its process may
# even have ended before the session that started it recorded the start).
record="$3/containers/$5/container.json"
[ -f "$record" ] || exit 0
grep -q '"Status":"\(Running\|Paused\|Restarting\)"' "$record" || grep -q '"RestartPolicy":"' "$record" || exit 0
grep -q '"ManuallyStopped":true' "$record" && exit 0
exec "$1" "$2" "$3" "$4" "$5"

<#
.SYNOPSIS
    Provisions a web server in a container with a script, snapshots it, and checks the result with Pester.
.DESCRIPTION
    BeforeAll provisions once: in a throwaway busybox container (Use-Container) a shell script creates a
    user, a site and a service definition; the container is then snapshotted into an image (ConvertTo-Image). Each It starts
    a fresh container from the snapshot (Use-Container -Image <snapshot>), waits until the service listens,
    and checks it with PSContainer's Should operators. Every container is removed however a test ends.

    Run it with:  Invoke-Pester ./examples/Provision-WebServer.Tests.ps1
    It needs root and an image named busybox (Import-Image a busybox rootfs, or Receive-Image busybox).
#>

BeforeAll {
    # PSCONTAINER_MODULE points at a staged build (the project's own tests set it); else the installed module.
    Import-Module $(if ($env:PSCONTAINER_MODULE) { $env:PSCONTAINER_MODULE } else { 'PSContainer' }) -ErrorAction Stop

    $script:Snapshot = 'provisioned-web:' + [guid]::NewGuid().ToString('N').Substring(0, 8)

    # The provisioning script: what a configuration tool would do on a fresh machine.
    $provision = @'
set -eu
# A system user and group for the service (what adduser -S does; this busybox has no adduser).
echo 'web:x:990:990::/srv/www:/bin/false' >> /etc/passwd
echo 'web:x:990:' >> /etc/group
mkdir -p /srv/www/cgi-bin /etc/webserver
cat > /srv/www/index.html <<'HTML'
<html><body><h1>Provisioned by PSContainer</h1></body></html>
HTML
cat > /srv/www/cgi-bin/health <<'CGI'
#!/bin/sh
printf 'Content-Type: text/plain\r\n\r\nok\n'
CGI
chmod 755 /srv/www/cgi-bin/health
chown -R web:web /srv/www
# The service: busybox httpd in the foreground, as the web user.
cat > /etc/webserver/run <<'RUN'
#!/bin/sh
exec httpd -f -p 8080 -h /srv/www -u web:web
RUN
chmod 755 /etc/webserver/run
'@

    Use-Container busybox -Command sleep, 600 {
        param($c)
        Invoke-ContainerCommand $c.Name -ErrorAction Stop -- sh -c $provision
        # The snapshot (docker commit): the provisioned container as an image whose command is the service.
        $null = ConvertTo-Image -Id $c.Id -Tag $script:Snapshot -Change 'CMD ["/etc/webserver/run"]' -ErrorAction Stop
    }
}

AfterAll {
    if (Get-Image $script:Snapshot -ErrorAction Ignore) { Remove-Image $script:Snapshot }
}

Describe 'The provisioned web server' {
    It 'runs its service as the web user and listens on 8080' {
        Use-Container $script:Snapshot -WaitFor Port, 8080 {
            param($c)
            $c | Should -BeRunning
            $c | Should -ListenOn 8080
            $c | Should -Not -ListenOn 80
            $c | Should -RunProcess httpd
            (Get-ContainerProcess -Id $c.Id | Where-Object Name -eq httpd).User | Should -Be 'web'
        }
    }

    It 'has the user, the site and the service definition' {
        Use-Container $script:Snapshot -WaitFor Port, 8080 {
            param($c)
            $c | Should -ContainFile /etc/passwd -WithContent '^web:'
            $c | Should -ContainFile /srv/www/index.html -WithContent 'Provisioned by PSContainer'
            $c | Should -ContainFile /etc/webserver/run -WithContent 'httpd -f -p 8080'
        }
    }

    It 'serves the page and the health endpoint' {
        Use-Container $script:Snapshot -WaitFor Port, 8080 {
            param($c)
            $page = Invoke-ContainerCommand $c.Name -PassThru -- wget -qO- http://127.0.0.1:8080/
            $page | Should -HaveExitCode 0
            $page.Output | Should -Match 'Provisioned by PSContainer'
            Invoke-ContainerCommand $c.Name -- wget -qO- http://127.0.0.1:8080/cgi-bin/health | Should -Be 'ok'
        }
    }

    It 'starts every test from the snapshot, not from what an earlier test changed' {
        Use-Container $script:Snapshot -WaitFor Port, 8080 {
            param($c)
            Invoke-ContainerCommand $c.Name -- rm /srv/www/index.html
            $c | Should -Not -ContainFile /srv/www/index.html
        }
        Use-Container $script:Snapshot -WaitFor Port, 8080 {
            param($c)
            $c | Should -ContainFile /srv/www/index.html
        }
    }
}

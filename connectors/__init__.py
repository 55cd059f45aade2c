"""The connector registry: every export format kith reads, recognised by content.

Order matters only where two formats could both claim a file: the more specific first.
"""

from __future__ import annotations

from connectors.base import Connector, ExportFile
from connectors.email_log import EmailLogCsv
from connectors.google import GoogleContactsCsv, GoogleLegacyCsv, GoogleOutlookCsv
from connectors.linkedin import (
    LinkedInConnections,
    LinkedInEmailAddresses,
    LinkedInImportedContacts,
    LinkedInInvitations,
    LinkedInMessages,
    LinkedInPhoneNumbers,
    LinkedInProfile,
)
from connectors.mbox import Mbox
from connectors.outlook import OutlookDesktopCsv, OutlookWebCsv
from connectors.twitter import (
    XAccount,
    XArchiveOther,
    XContacts,
    XDirectMessages,
    XFollowersCsv,
    XFollows,
)
from connectors.vcard import VCardFile

REGISTRY: tuple[Connector, ...] = (
    LinkedInConnections(),
    LinkedInMessages(),
    LinkedInInvitations(),
    LinkedInProfile(),
    LinkedInEmailAddresses(),
    LinkedInPhoneNumbers(),
    LinkedInImportedContacts(),
    XAccount(),
    XFollows(),
    XDirectMessages(),
    XContacts(),
    XArchiveOther(),
    XFollowersCsv(),
    GoogleContactsCsv(),
    GoogleLegacyCsv(),
    GoogleOutlookCsv(),
    OutlookDesktopCsv(),
    OutlookWebCsv(),
    VCardFile(),
    Mbox(),
    EmailLogCsv(),  # last: its alias map is the loosest match
)

SNIFF_BYTES = 65536


def detect(file: ExportFile, head_text: str) -> Connector | None:
    """The first connector whose ``sniff`` accepts the decoded head of ``file``."""
    for connector in REGISTRY:
        if connector.sniff(file.name, head_text):
            return connector
    return None

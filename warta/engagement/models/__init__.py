"""The engagement app's models, one module per feature; import them from here.

The private names are here too: the migrations name the upload paths and the storage by
`warta.engagement.models.<name>`.
"""

from warta.engagement.models.consultations import (
    ActionUpdate,
    Consultation,
    ConsultationInput,
    ConsultationTheme,
    FollowUpAction,
)
from warta.engagement.models.dip import PublicInformation, _dip_path
from warta.engagement.models.inbox import InboxItem, Reply, ReplyTemplate, SavedView
from warta.engagement.models.ingest import ChannelSync, ImportRun, _inbox_import_path
from warta.engagement.models.ppid import InformationRequest, Objection
from warta.engagement.models.public_forms import PublicFormHit
from warta.engagement.models.storage import _DipStorage, dip_storage
from warta.engagement.models.whatsapp import WhatsAppContact

__all__ = [
    "ActionUpdate",
    "ChannelSync",
    "Consultation",
    "ConsultationInput",
    "ConsultationTheme",
    "FollowUpAction",
    "ImportRun",
    "InboxItem",
    "InformationRequest",
    "Objection",
    "PublicFormHit",
    "PublicInformation",
    "Reply",
    "ReplyTemplate",
    "SavedView",
    "WhatsAppContact",
    "_DipStorage",
    "_dip_path",
    "_inbox_import_path",
    "dip_storage",
]

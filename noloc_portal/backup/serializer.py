"""JSON Lines as Django writes it, but with whole microseconds: DjangoJSONEncoder cuts times to
milliseconds (an ECMAScript habit), and a restored audit trail must say exactly when."""

import datetime

from django.core.serializers import jsonl
from django.core.serializers.json import DjangoJSONEncoder

FORMAT_NAME = "nolocjsonl"


class PreciseEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time) and o.tzinfo is None:
            return o.isoformat()
        return super().default(o)


class Serializer(jsonl.Serializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = PreciseEncoder


Deserializer = jsonl.Deserializer
